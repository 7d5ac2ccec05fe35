"""The console report: a table on a terminal, plain lines in CI logs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TextIO

from gate.repeats import flaky_text
from gate.reports.junit import action_item_line
from gate.results import CheckResult, RunResult
from gate.status import ExitCode

#: How many failed or errored items of a check the console and the step summary show;
#: the JSON and HTML reports list them all (up to --max-items-per-check).
SHOWN_ITEMS = 5

_VERDICT_TEXT = {
    ExitCode.OK: "PASS: every blocking check passed",
    ExitCode.BLOCKED: "BLOCKED: at least one blocking check failed",
    ExitCode.UNJUDGED: "UNJUDGED: a blocking check could not be judged",
}


def measured_text(result: CheckResult) -> str:
    """The measured value as a person reads it: a percentage when the limit is one."""
    return format_measured(result.measured, result.limit)


def format_measured(value: object, limit: str | None) -> str:
    """A measured value, from a result or a JSON report, as a person reads it.

    Args:
        value: the measured value; None when the check measured nothing.
        limit: the check's limit as text; a limit in percent shows a float as one.
    """
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2%}" if limit and "%" in limit else f"{value:.4g}"
    return str(value)


def judged_text(result: CheckResult) -> str:
    """How many items a response check judged, its content failures and its errors by cause."""
    tally = result.tally
    if tally is None:
        return ""
    text = f"judged {tally.judged} of {tally.total} items ({tally.passed} passed, "
    text += f"{tally.failed} failed)"
    if tally.errored:
        causes = ", ".join(f"{cause} {count}" for cause, count in sorted(tally.causes.items()))
        text += f"; {tally.errored} errored: {causes}"
    return text


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


def more_items(result: CheckResult) -> str:
    """`and 91 more failed or errored items`, past the handful shown; empty when none."""
    tally = result.tally
    if tally is None:
        return ""
    more = tally.failed + tally.errored - min(len(tally.samples), SHOWN_ITEMS)
    return f"and {more} more failed or errored items" if more > 0 else ""


def accounting_lines(run: RunResult) -> list[str]:
    """What the run lost, when some planned item is neither passed, failed nor errored."""
    return [
        f"accounting broken: {entry['check']} planned {entry['planned']} items "
        f"but accounted for {entry['accounted']}; no verdict of this run can be trusted"
        for entry in run.accounting()["broken"]
    ]


def _rows(run: RunResult) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            result.check.id,
            result.status.value + ("" if result.check.blocking else " (advisory)"),
            measured_text(result),
            result.limit or "-",
            result.check.action_item,
        )
        for result in run.results
    ]


def render_plain(run: RunResult, stream: TextIO) -> None:
    """One line per check, then the problems and the verdict: greppable in a CI log."""
    rows = _rows(run)
    width = max((len(row[0]) for row in rows), default=0)
    for result, (check_id, status, measured, limit, action_item) in zip(
        run.results, rows, strict=True
    ):
        stream.write(
            f"{status.upper():<8} {check_id:<{width}}  measured {measured:<8} "
            f"limit {limit:<9} [{action_item}]\n"
        )
        if result.tally is not None:
            stream.write(f"         {judged_text(result)}\n")
        if repeats := repeats_text(result):
            stream.write(f"         {repeats}\n")
    _details(run, stream)


def _details(run: RunResult, stream: TextIO, *, judged: bool = False) -> None:
    for result in run.results:
        if near_limit(result):
            # Passed, but the data cannot tell it from its limit: its interval, in a line.
            stream.write(f"  {result.check.id}: passed near its limit: {result.message}\n")
        elif result.status.value in ("fail", "error"):
            item = run.action_item(result.check.action_item)
            stream.write(f"  {result.check.id}: {result.message}\n")
            stream.write(f"    why it exists: {action_item_line(item)}\n")
            if judged and result.tally is not None and result.tally.errored:
                stream.write(f"    {judged_text(result)}\n")
            if judged and (repeats := repeats_text(result)):
                stream.write(f"    {repeats}\n")
            tally = result.tally
            for sample in tally.samples[:SHOWN_ITEMS] if tally else ():
                stream.write(f"    {sample.item} ({sample.outcome}): {sample.reason}\n")
            more = more_items(result)
            if more:
                stream.write(f"    ... {more}\n")
    for note in run.notes:
        stream.write(f"note: {note}\n")
    for line in accounting_lines(run):
        stream.write(f"{line}\n")
    counts = run.counts()
    summary = ", ".join(f"{count} {status}" for status, count in counts.items() if count)
    stream.write(
        f"{_VERDICT_TEXT.get(run.exit_code, 'UNJUDGED')} ({summary}) in {run.duration_s:.2f} s\n"
    )


def render_table(run: RunResult, stream: TextIO) -> None:
    """A rich table for a person at a terminal."""
    from rich.console import Console
    from rich.table import Table

    styles = {"pass": "green", "fail": "bold red", "error": "bold yellow", "skipped": "dim"}
    table = Table(title=f"gate · suite {run.suite}", title_justify="left")
    table.add_column("check", no_wrap=True)
    for column in ("status", "measured", "limit", "judged"):
        table.add_column(column, no_wrap=True)
    table.add_column("action item", overflow="fold")
    for result, row in zip(run.results, _rows(run), strict=True):
        style = styles.get(row[1].split()[0], "")
        tally = result.tally
        judged = f"{tally.judged}/{tally.total}" if tally is not None else "-"
        table.add_row(row[0], f"[{style}]{row[1]}[/]", *row[2:4], judged, row[4])
    console = Console(file=stream)
    console.print(table)
    _details(run, stream, judged=True)


def render(run: RunResult, stream: TextIO) -> None:
    """A table when `stream` is a terminal, plain lines otherwise."""
    if stream.isatty():
        render_table(run, stream)
    else:
        render_plain(run, stream)
