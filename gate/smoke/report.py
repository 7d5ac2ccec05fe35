"""A bake's rounds, and its report: `gate-report/1` with a `bake` and a `rounds` section."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from gate.reports.atomic import write_atomic
from gate.reports.json_report import report_to_json
from gate.results import CheckResult, RunResult
from gate.status import Status


def worst(statuses: list[Status]) -> Status:
    """fail over error over pass, as a run's verdict is folded."""
    for status in (Status.FAIL, Status.ERROR):
        if status in statuses:
            return status
    return Status.PASS


@dataclass(frozen=True)
class RoundRecord:
    """One finished round: when, what was asked, what came back, and each check's verdict."""

    number: int
    started_at: str
    finished_at: str
    duration_s: float
    items: int
    sampled: tuple[str, ...]  # ids of the prompts sampled for this round
    failed: Mapping[str, int]  # unanswered items blamed on the release, by cause
    errored: Mapping[str, int]  # unanswered items blamed on the runner, by cause
    results: tuple[CheckResult, ...]
    deciding: frozenset[str] = field(default_factory=frozenset)  # ids of checks that decide

    @property
    def status(self) -> Status:
        """The worst status among the checks that decide."""
        return worst([r.status for r in self.results if r.check.id in self.deciding])

    def check_json(self, result: CheckResult) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "check": result.check.id,
            "action_item": result.check.action_item,
            "status": result.status.value,
            "decides": result.check.id in self.deciding,
            "measured": result.measured,
            "limit": result.limit,
            "message": result.message,
        }
        if result.tally is not None:
            entry["tally"] = result.tally.to_json()
            entry.update(result.tally.listed_json())
        return entry

    def to_json(self) -> dict[str, Any]:
        return {
            "round": self.number,
            "status": self.status.value,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "duration_s": self.duration_s,
            "items": self.items,
            "sampled": list(self.sampled),
            "unanswered": {"failed": dict(self.failed), "errored": dict(self.errored)},
            "checks": [self.check_json(result) for result in self.results],
        }


def smoke_report(
    run: RunResult, bake: Mapping[str, Any], rounds: list[RoundRecord]
) -> dict[str, Any]:
    """The `gate-report/1` report of a bake, with its `bake` summary and its `rounds`."""
    report = report_to_json(run)
    report["bake"] = dict(bake)
    report["rounds"] = [record.to_json() for record in rounds]
    return report


def write_smoke_report(report: Mapping[str, Any], path: Path) -> None:
    """Write the report atomically: a reader sees the last round's report or the next one."""
    write_atomic(path, orjson.dumps(report, option=orjson.OPT_INDENT_2, default=str) + b"\n")
