"""The console report: a table on a terminal, plain lines in CI logs."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TextIO

from gate.repeats import flaky_text
from gate.reports.junit import action_item_line
from gate.reports.rows import Row, format_measured, measured_text, plain_lines, row_of, table_lines
from gate.results import CheckResult, RunResult
from gate.status import ExitCode
from gate.words import counted

__all__ = ["accounting_lines", "format_measured", "judged_text", "measured_text", "render"]

#: How many failed or errored items of a check the console and the step summary show;
#: the JSON and HTML reports list them all (up to --max-items-per-check).
SHOWN_ITEMS = 5

_VERDICT_TEXT = {
    ExitCode.OK: "PASS: every blocking check passed",
    ExitCode.BLOCKED: "BLOCKED: at least one blocking check failed",
    ExitCode.UNJUDGED: "UNJUDGED: a blocking check could not be judged",
}
_STYLES = {"PASS": "green", "FAIL": "bold red", "ERROR": "bold yellow", "SKIPPED": "dim"}


def judged_text(result: CheckResult) -> str:
    """How many items a response check judged, its content failures and its errors by cause."""
    tally = result.tally
    if tally is None:
        return ""
    text = f"judged {tally.judged} of {counted(tally.total, 'item')} ({tally.passed} passed, "
    text += f"{tally.failed} failed)"
    if tally.errored:
        causes = ", ".join(f"{cause} {count}" for cause, count in sorted(tally.causes.items()))
        text += f"; {tally.errored} errored: {causes}"
    return text


def more_items(result: CheckResult) -> str:
    """`and 91 more failed or errored items`, past the handful shown; empty when none."""
    tally = result.tally
    if tally is None:
        return ""
    more = tally.failed + tally.errored - min(len(tally.samples), SHOWN_ITEMS)
    return f"and {counted(more, 'more failed or errored item')}" if more > 0 else ""


def near_limit(result: CheckResult) -> bool:
    """A check that passed, but whose 95% interval reaches past its limit: worth a look."""
    interval = result.details.get("interval")
    return (
        result.status.value == "pass"
        and isinstance(interval, Mapping)
        and interval.get("settled") is False
    )


def repeats_text(result: CheckResult) -> str:
    """`asked 3 times each: 2 flaky items (...)`, for a check that asks each item more than once."""
    tally = result.tally
    if tally is None or not tally.items:
        return ""
    return f"asked {result.check.repeats or 1} times each: {flaky_text(tally)}"


def accounting_lines(run: RunResult) -> list[str]:
    """What the run lost, when some planned item is neither passed, failed nor errored."""
    return [
        f"accounting broken: {entry['check']} planned {counted(entry['planned'], 'item')} "
        f"but accounted for {entry['accounted']}; no verdict of this run can be trusted"
        for entry in run.accounting()["broken"]
    ]


def _rows(run: RunResult) -> list[Row]:
    return [
        row_of(
            result,
            run.action_item(result.check.action_item),
            under=[text for text in (judged_text(result), repeats_text(result)) if text],
        )
        for result in run.results
    ]


def render_plain(run: RunResult, stream: TextIO) -> None:
    """One line per check, its action item and tally under it, then the problems and the verdict.

    Greppable in a CI log: `grep '^FAIL'` gives each failed check with what
    was measured against its limit.
    """
    for line in [*plain_lines(_rows(run)), *_details(run)]:
        stream.write(line + "\n")


def _details(run: RunResult) -> list[str]:
    """What went wrong in each failed or unjudged check and why it exists; notes; the verdict."""
    lines = []
    for result in run.results:
        if near_limit(result):
            # Passed, but the data cannot tell it from its limit: its interval, in a line.
            lines.append(f"  {result.check.id}: passed near its limit: {result.message}")
        elif result.status.value in ("fail", "error"):
            item = run.action_item(result.check.action_item)
            lines.append(f"  {result.check.id}: {result.message}")
            lines.append(f"    why it exists: {action_item_line(item)}")
            tally = result.tally
            for sample in tally.samples[:SHOWN_ITEMS] if tally else ():
                lines.append(f"    {sample.item} ({sample.outcome}): {sample.reason}")
            more = more_items(result)
            if more:
                lines.append(f"    ... {more}")
    lines += [f"note: {note}" for note in run.notes]
    lines += accounting_lines(run)
    counts = run.counts()
    summary = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
    verdict = _VERDICT_TEXT.get(run.exit_code, "UNJUDGED")
    return [*lines, f"{verdict} ({summary}) in {run.duration_s:.2f} s"]


def render_table(run: RunResult, stream: TextIO, width: int | None = None) -> None:
    """A table for a person at a terminal (`width` columns, default the terminal's).

    Each check is a row of its status word, whole id, measured value and limit;
    its action item, owner and tally are lines of their own under it.
    """
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, width=width, highlight=False)
    rows = _rows(run)
    header, *body = table_lines(rows, console.width)
    console.print(Text(f"gate · suite {run.suite}", style="bold"))
    for line in header:
        console.print(Text(line, style="bold"), crop=False, overflow="ignore")
    for row, lines in zip(rows, body, strict=True):
        first = Text(lines[0])
        first.stylize(_STYLES.get(row.status, ""), 0, len(row.status))
        console.print(first, crop=False, overflow="ignore")
        for line in lines[1:]:
            console.print(Text(line), crop=False, overflow="ignore")
    for detail in _details(run):
        for line in detail.splitlines():
            console.print(Text(_wrapped(line, console.width)), crop=False, overflow="ignore")


def _wrapped(line: str, width: int) -> str:
    """A line wrapped at `width`, its continuation indented past its own indent."""
    indent = " " * (len(line) - len(line.lstrip(" ")) + 2)
    return "\n".join(
        textwrap.wrap(line, width, subsequent_indent=indent, break_on_hyphens=False) or [""]
    )


def render(run: RunResult, stream: TextIO) -> None:
    """A table when `stream` is a terminal, plain lines otherwise."""
    if stream.isatty():
        render_table(run, stream)
    else:
        render_plain(run, stream)
