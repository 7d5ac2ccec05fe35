"""Where a bake leaves its evidence: event log, report, metrics textfile and Pushgateway.

Each is written as the bake goes, round by round, so a runner that is killed
leaves the evidence of every round it finished and a report that says the bake
was still running, never one that reads as a pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.checks import CheckSpec
from gate.errors import GateError, display_path
from gate.results import RunResult
from gate.smoke.events import EventLog
from gate.smoke.metrics import BakeMetrics
from gate.smoke.report import RoundRecord, smoke_report, write_smoke_report


@dataclass(frozen=True)
class Outputs:
    """Where the bake leaves its evidence, and the command it runs on a fail."""

    report: Path | None = None
    event_log: Path | None = None
    metrics_file: Path | None = None
    pushgateway: str | None = None
    on_fail: str | None = None
    on_fail_timeout_s: float = 300.0


class Evidence:
    """The bake's writers. A metrics problem is only noted: it says nothing of the release."""

    def __init__(
        self,
        outputs: Outputs,
        bake_id: str,
        checks: Iterable[CheckSpec],
        rounds: int,
        bound_s: float | None,
        grouping: Mapping[str, str],
    ) -> None:
        self.outputs = outputs
        self.report_path = outputs.report
        self.events = EventLog(outputs.event_log, bake_id)
        self.metrics = BakeMetrics(checks, rounds, bound_s)
        self.grouping = dict(grouping)
        self.notes: list[str] = []

    def note(self, note: str) -> None:
        """Keep a note for the report, once, and log it."""
        if note not in self.notes:
            self.notes.append(note)
            self.events.write("note", message=note)

    def save(
        self,
        run: RunResult,
        bake: Mapping[str, Any],
        rounds: list[RoundRecord],
        *,
        first: bool = False,
    ) -> None:
        """Rewrite the report and the metrics textfile, each atomically.

        The `first` save, before any round, fails the bake (exit 2) when the
        metrics file cannot be written; later it is only noted.
        """
        if self.report_path is not None:
            write_smoke_report(smoke_report(run, bake, rounds), self.report_path)
        path = self.outputs.metrics_file
        if path is not None:
            try:
                self.metrics.write(str(path))
            except OSError as exc:
                if first:
                    raise GateError(
                        f"{display_path(path)}: cannot write the metrics file: {exc.strerror}"
                    ) from None
                self.note(f"the metrics file could not be written: {exc}")

    def push(self) -> None:
        """Push the metrics to the Pushgateway, when there is one."""
        if self.outputs.pushgateway is None:
            return
        problem = self.metrics.push(self.outputs.pushgateway, self.grouping)
        if problem is not None:
            self.note(f"the Pushgateway could not be reached: {problem}")
