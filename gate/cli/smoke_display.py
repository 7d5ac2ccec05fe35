"""What `gate smoke` shows while it bakes: plain lines in CI, a live bar on a terminal."""

from __future__ import annotations

import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

from gate.reports.rows import Row, plain_lines, row_of, table_lines
from gate.results import RunResult
from gate.smoke.report import RoundRecord, worst
from gate.smoke.settings import BakeSettings, show_seconds
from gate.words import counted

if TYPE_CHECKING:
    from gate.smoke.bake import Bake
    from gate.smoke.watch import Crossing


def _unanswered(record: RoundRecord) -> str:
    parts = [
        f"{blame} {cause} {count}"
        for blame, causes in (("failed", record.failed), ("errored", record.errored))
        for cause, count in sorted(causes.items())
    ]
    return f"unanswered: {', '.join(parts)}" if parts else "all answered"


def bound_line(settings: BakeSettings) -> str:
    """The worst-case detection time the settings imply, and where it comes from."""
    bound = settings.detection_bound_s
    if bound is None:
        return "no check decides this bake: it reports, and never signals a rollback"
    loosest = max(
        (settings.limits[c.id] for c in settings.checks if settings.decides(c)),
        key=lambda limits: limits.rounds_to_fail,
    )
    limit = "failure_limit"
    if (
        loosest.consecutive_failure_limit is not None
        and loosest.consecutive_failure_limit < loosest.failure_limit
    ):
        limit = "consecutive_failure_limit"
    allowed = loosest.rounds_to_fail - 1
    return (
        f"worst-case detection {show_seconds(bound)} after the deploy = initial_delay "
        f"{show_seconds(settings.initial_delay_s)} + interval {show_seconds(settings.interval_s)}"
        f" x ({limit} {allowed} + 1); a regression that starts mid-bake, within "
        f"{show_seconds(settings.interval_s * (allowed + 1))} of its start plus one round"
    )


def _rows(bake: Bake, record: RoundRecord) -> list[Row]:
    """A round's checks as rows, each with its action item and owner under it."""
    items = bake.project.action_items
    rows = []
    for result in record.results:
        ref = result.check.action_item
        item = items[ref].to_json() if ref in items else {"ref": ref}
        # A check that does not block says so already; one that does is left out by --dry-run.
        shadowed = result.check.blocking and result.check.id not in record.deciding
        rows.append(row_of(result, item, notes=["dry run: does not decide"] if shadowed else []))
    return rows


class PlainDisplay:
    """One line per event, for CI logs and anything that is not a terminal."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.records: list[RoundRecord] = []

    def __enter__(self) -> PlainDisplay:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def bake_started(self, bake: Bake) -> None:
        settings, items = bake.settings, bake.items
        sampled = ""
        if settings.sample_from is not None:
            sampled = f", {items.count} sampled from {settings.sample_from.name}"
        self.line(
            f"gate smoke: suite {settings.suite}, {counted(settings.rounds, 'round')} every "
            f"{show_seconds(settings.interval_s)} after {show_seconds(settings.initial_delay_s)}; "
            f"{counted(len(items.fixed), 'fixed prompt')} a round{sampled} (seed {settings.seed})"
        )
        self.line(f"gate smoke: {bound_line(settings)}")

    def round_started(self, bake: Bake, number: int) -> None:
        return None

    def round_finished(self, bake: Bake, record: RoundRecord) -> None:
        self.records.append(record)
        settings = bake.settings
        left = settings.rounds - record.number
        status = worst([r.status for r in self.records])
        self.line(
            f"round {record.number}/{settings.rounds} {record.status.value.upper()} "
            f"in {record.duration_s:.2f} s: {counted(record.items, 'prompt')}, "
            f"{_unanswered(record)}; "
            f"worst so far {status.value}; ends in about "
            f"{show_seconds(left * settings.interval_s)}"
        )
        for line in self.check_lines(bake, record):
            self.line(line)

    def check_lines(self, bake: Bake, record: RoundRecord) -> list[str]:
        """The round's checks: a labelled line each, its action item under it."""
        return plain_lines(_rows(bake, record), indent="  ")

    def limit_crossed(self, bake: Bake, crossing: Crossing) -> None:
        then = "the bake stops" if crossing.decides else "dry run: it does not decide"
        if crossing.decides and crossing.limit != "consecutive_error_limit":
            then = "rollback signal"
        self.line(
            f"LIMIT {crossing.check.id}: {crossing.describe()} in round {crossing.round} "
            f"[{crossing.check.action_item}]: {then}"
        )

    def finished(self, bake: Bake, run: RunResult) -> None:
        """The bake's outcome, how fast a rollback was signalled, and where the evidence is."""
        outcome = bake.outcome.upper()
        self.line(f"BAKE {outcome}: {bake.reason}")
        if bake.detection is not None:
            found = bake.detection
            bound = found["bound_s"]
            self.line(
                f"rollback signal {found['since_start_s']:.2f} s after the bake started, "
                f"{found['since_first_failed_round_s']:.2f} s after the first failed round "
                f"began (bound {show_seconds(bound) if bound is not None else '-'})"
            )
        if bake.hook is not None:
            self.line(f"on-fail hook {bake.hook.describe()}: {bake.hook.command}")
        # The run's notes were printed with its report, just above.
        evidence = bake.evidence
        if evidence.report_path is not None:
            self.line(f"report: {evidence.report_path}")
        if evidence.outputs.event_log is not None:
            self.line(f"event log: {evidence.outputs.event_log}")


class LiveDisplay(PlainDisplay):
    """The same lines above a live bar: round k of n, the worst status so far, time to the end."""

    def __init__(self, stream: TextIO, width: int | None = None) -> None:
        """Draw on `stream`, `width` columns wide (default: the terminal's width)."""
        super().__init__(stream)
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn
        from rich.progress import Task as RichTask
        from rich.text import Text

        display = self

        class TimeLeft(ProgressColumn):
            # Counts down between rounds too, since the bar redraws on its own.
            def render(self, task: RichTask) -> Text:
                return Text(display._left())

        self.console = Console(file=stream, width=width)
        self.progress = Progress(
            "round",
            MofNCompleteColumn(),
            BarColumn(),
            "{task.description}",
            TimeLeft(),
            console=self.console,
            transient=True,
            refresh_per_second=2,
        )
        self.task: Any = None
        self.ends_at = 0.0

    def __enter__(self) -> LiveDisplay:
        self.progress.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.progress.stop()

    def line(self, text: str) -> None:
        self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def _left(self) -> str:
        return f"ends in {show_seconds(max(0.0, self.ends_at - time.monotonic()))}"

    def bake_started(self, bake: Bake) -> None:
        super().bake_started(bake)
        settings = bake.settings
        self.ends_at = time.monotonic() + settings.initial_delay_s
        self.ends_at += settings.interval_s * (settings.rounds - 1)
        self.task = self.progress.add_task("worst so far: -", total=settings.rounds)

    def round_started(self, bake: Bake, number: int) -> None:
        settings = bake.settings
        self.ends_at = time.monotonic() + settings.interval_s * (settings.rounds - number)

    def check_lines(self, bake: Bake, record: RoundRecord) -> list[str]:
        """The round's checks as a table under a header, laid out for the terminal's width."""
        return [
            line for row in table_lines(_rows(bake, record), self.console.width) for line in row
        ]

    def round_finished(self, bake: Bake, record: RoundRecord) -> None:
        super().round_finished(bake, record)
        status = worst([r.status for r in self.records])
        self.progress.update(
            self.task, completed=record.number, description=f"worst so far: {status.value}"
        )


def display_for(stream: TextIO) -> PlainDisplay:
    """A live display on a terminal, plain lines everywhere else."""
    return LiveDisplay(stream) if stream.isatty() else PlainDisplay(stream)
