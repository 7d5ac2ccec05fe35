"""GitHub Actions output: a step summary, error annotations and job outputs.

Written only when GITHUB_ACTIONS is set. Like every report it formats a
finished run; it never decides pass or fail.
"""

from __future__ import annotations

import html
import os
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from gate.reports.console import SHOWN_ITEMS, accounting_lines, measured_text, more_items
from gate.results import CheckResult, RunResult
from gate.status import ExitCode, Status
from gate.words import counted

MAX_ANNOTATIONS = 10  # GitHub shows at most 10 error annotations per step
SUMMARY_LIMIT = 1024 * 1024  # GitHub refuses a step summary over 1 MiB
MAX_REASON = 500  # characters of one sample's reason in the summary

_VERDICT = {
    ExitCode.OK: ("✅", "PASS", "every blocking check passed"),
    ExitCode.BLOCKED: ("❌", "BLOCKED", "at least one blocking check failed"),
    ExitCode.UNJUDGED: ("⚠️", "UNJUDGED", "a blocking check could not be judged"),
}
_ICON = {Status.PASS: "✅", Status.FAIL: "❌", Status.ERROR: "⚠️", Status.SKIPPED: "⏭️"}


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's toolkit does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value: also ':' and ',', which separate properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def markdown_text(text: object) -> str:
    """Text shown as text in GitHub Markdown, also inside a table cell."""
    # Answers and messages are shown as text: HTML is escaped (GitHub renders
    # it) and so are the characters that would break a table cell or start
    # emphasis, code or a link.
    escaped = html.escape(str(text), quote=False).replace("\r", " ").replace("\n", " ")
    for char in "\\`*_[]|~":
        escaped = escaped.replace(char, "\\" + char)
    return escaped


def _problems(run: RunResult) -> list[CheckResult]:
    """Failed and errored checks, blocking ones first, in the run's order otherwise."""
    found = [r for r in run.results if r.status in (Status.FAIL, Status.ERROR)]
    return sorted(found, key=lambda result: not result.check.blocking)


def _partial(run: RunResult) -> bool:
    return run.shard is not None and run.shard.count > 1


def _repo_path(path: Path, workspace: Path) -> str:
    try:
        return path.resolve().relative_to(workspace.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def annotation(result: CheckResult, workspace: Path) -> str:
    """`::error file=checks/x.yaml,line=N,title=...::message` for one failed or errored check."""
    check = result.check
    level = "error" if check.blocking else "warning"
    what = "failed" if result.status is Status.FAIL else "could not be judged"
    title = f"gate: {check.id} {what}"
    message = f"{result.message} [action item {check.action_item}]"
    properties = {
        "file": _repo_path(check.path, workspace),
        "line": str(check.line),
        "title": title,
    }
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{level} {joined}::{escape_data(message)}"


def annotations_for(run: RunResult, workspace: Path) -> tuple[list[str], list[CheckResult]]:
    """The annotations to print (at most MAX_ANNOTATIONS) and the problems left for the summary.

    A shard's partial counts are not a verdict, so a shard run annotates nothing.
    """
    if _partial(run):
        return [], []
    problems = _problems(run)
    shown = problems[:MAX_ANNOTATIONS]
    return [annotation(result, workspace) for result in shown], problems[MAX_ANNOTATIONS:]


def _action_item_cells(run: RunResult, result: CheckResult) -> tuple[str, str, str]:
    # A run knows the owner and the postmortem's title when the postmortem
    # was parsed; otherwise the postmortem is named by its id.
    check = result.check
    item = run.action_item(check.action_item)
    owner = str(item.get("owner") or "—")
    postmortem = str(item.get("postmortem_title") or item.get("postmortem") or check.postmortem_id)
    return check.action_item, owner, postmortem


def _heading(run: RunResult) -> str:
    """The verdict and the facts of the run: never left out of a summary."""
    icon, word, meaning = _VERDICT.get(run.exit_code, _VERDICT[ExitCode.UNJUDGED])
    lines = []
    if _partial(run):
        lines.append(
            f"## {icon} gate: shard {run.shard} of suite {markdown_text(run.suite)}: "
            f"{word} on its part\n\n"
            "Partial counts of one shard: `gate merge` judges the thresholds on the sum "
            "of every shard, and gives the verdict.\n"
        )
    else:
        lines.append(f"## {icon} gate: {word} — {meaning}\n")
    counts = ", ".join(f"{count} {status}" for status, count in run.counts().items() if count)
    facts = [f"suite {markdown_text(run.suite)}"]
    if run.manifest and run.manifest.get("version"):
        facts.append(f"release {markdown_text(run.manifest['version'])}")
    facts.append(counts)
    if run.shards_merged:
        facts.append(f"merged from {counted(run.shards_merged, 'shard')}")
    if run.provenance is not None and run.provenance.commit:
        facts.append(f"commit {markdown_text(run.provenance.commit[:12])}")
    facts.append(f"{run.duration_s:.2f} s")
    lines.append(" · ".join(facts) + "\n")
    lines.extend(f"**{markdown_text(line)}**\n" for line in accounting_lines(run))
    return "\n".join(lines) + "\n"


_TABLE_HEAD = (
    "|  | check | status | measured | limit | action item | owner | postmortem |\n"
    "|---|---|---|---|---|---|---|---|\n"
)


def _row(run: RunResult, result: CheckResult) -> str:
    status = result.status.value + ("" if result.check.blocking else " (advisory)")
    texts = (status, measured_text(result), result.limit or "—", *_action_item_cells(run, result))
    # Check ids are [a-z0-9._-] by the check schema, so a code span needs no escaping.
    row = [_ICON[result.status], f"`{result.check.id}`", *map(markdown_text, texts)]
    return "| " + " | ".join(row) + " |\n"


def _left_over_note(left_over: list[CheckResult]) -> str:
    names = ", ".join(f"`{result.check.id}`" for result in left_over)
    return (
        f"\n{counted(len(left_over), 'more problem')} {'is' if len(left_over) == 1 else 'are'} "
        "not annotated "
        f"(GitHub shows {MAX_ANNOTATIONS} per step): {names}\n"
    )


def _samples_section(result: CheckResult) -> str:
    samples = result.tally.samples if result.tally else []
    title = f"<code>{result.check.id}</code>: {html.escape(result.message, quote=False)}"
    lines = [f"<details><summary>{title}</summary>\n"]
    for sample in samples[:SHOWN_ITEMS]:
        reason = sample.reason
        if len(reason) > MAX_REASON:
            reason = reason[:MAX_REASON] + "…"
        where = f"{sample.corpus}:{sample.line}"
        lines.append(
            f"- {markdown_text(sample.item)} ({markdown_text(where)}, {sample.outcome}): "
            f"{markdown_text(reason)}"
        )
    more = more_items(result)
    if more:
        lines.append(f"- {more}, listed in the JSON report")
    if not samples:
        lines.append("No sample items: the check could not be judged as a whole.")
    lines.append("\n</details>\n")
    return "\n".join(lines) + "\n"


@dataclass
class _Part:
    """One droppable piece of the summary: its text, what it is, and when it goes."""

    text: str
    what: str  # how the cut line counts it: "samples", "notes", "rows", "list"
    rank: int  # lower ranks are left out first; within a rank, the last part first
    size: int = field(init=False)

    def __post_init__(self) -> None:
        self.size = _size(self.text)


# The order in which parts are left out when the summary would not fit:
DROP_ORDER = (
    "the worst samples, the last check's first",
    "the run's notes",
    "the list of problems beyond the annotations",
    "table rows of checks that passed or were skipped, from the bottom",
    "table rows of checks that failed or could not be judged, from the bottom",
)


def _parts(run: RunResult, left_over: list[CheckResult]) -> list[_Part]:
    """Everything below the heading, in reading order, each with its rank in DROP_ORDER."""
    parts = []
    for result in run.results:
        problem = result.status in (Status.FAIL, Status.ERROR)
        parts.append(_Part(_row(run, result), "rows", 5 if problem else 4))
    if left_over:
        parts.append(_Part(_left_over_note(left_over), "list", 3))
    for number, result in enumerate(_problems(run)):
        # The title rides on the first section, so it goes when the last sample does.
        title = "\n### Worst samples\n\n" if number == 0 else ""
        parts.append(_Part(title + _samples_section(result), "samples", 1))
    parts.extend(_Part(f"\n> note: {markdown_text(note)}\n", "notes", 2) for note in run.notes)
    return parts


def _cut_line(counts: Mapping[str, int], report: Path | None) -> str:
    """The line that says what was left out, by kind of part, and where the full report is."""
    words = []
    if counts["samples"]:
        words.append(f"samples of {counted(counts['samples'], 'check')}")
    if counts["notes"]:
        words.append(counted(counts["notes"], "note"))
    if counts["list"]:
        words.append("the list of problems not annotated")
    if counts["rows"]:
        words.append(counted(counts["rows"], "table row"))
    where = (
        f"the JSON report {markdown_text(report)} (kept with the workflow's artifacts)"
        if report is not None
        else "the JSON report (`--report-json`)"
    )
    return (
        f"\n**Cut to fit GitHub's 1 MiB step summary** (left out: {', '.join(words)}); "
        f"the full report is in {where}.\n"
    )


def render_summary(
    run: RunResult,
    *,
    left_over: list[CheckResult] | None = None,
    report: Path | None = None,
    limit: int = SUMMARY_LIMIT,
) -> str:
    """The step summary: the verdict first, the table, then the worst samples and notes.

    At most `limit` bytes of UTF-8: when the whole would not fit, parts are left
    out in DROP_ORDER and one line says what went and where the full report is.
    Returns "" when not even the verdict and that line fit.

    Args:
        run: the finished run (or merge) to summarise.
        left_over: problems beyond the annotations, listed by name.
        report: the JSON report's path, named as where the full run is.
        limit: the bytes the summary may take; less than 1 MiB when the step's
            summary file already holds text.
    """
    heading = _heading(run)
    parts = _parts(run, left_over or [])
    pointer = f"\nThe whole run is in the JSON report {markdown_text(report)}.\n" if report else ""
    rows = sum(part.what == "rows" for part in parts)
    kept = sum(part.size for part in parts)
    if _size(heading) + _size(_TABLE_HEAD) * bool(rows) + kept + _size(pointer) <= limit:
        return heading + _TABLE_HEAD * bool(rows) + "".join(part.text for part in parts) + pointer
    counts = dict.fromkeys(("samples", "notes", "list", "rows"), 0)
    gone: set[int] = set()
    # Lowest rank first; within a rank, from the end of the summary up.
    for index in sorted(range(len(parts)), key=lambda index: (parts[index].rank, -index)):
        table_size = _size(_TABLE_HEAD) if counts["rows"] < rows else 0
        if _size(heading) + table_size + kept + _size(_cut_line(counts, report)) <= limit:
            break
        gone.add(index)
        counts[parts[index].what] += 1
        kept -= parts[index].size
    if _size(heading) + kept + _size(_cut_line(counts, report)) > limit:
        return ""
    body = "".join(part.text for index, part in enumerate(parts) if index not in gone)
    table = _TABLE_HEAD if counts["rows"] < rows else ""
    # The cut line names the report, so the pointer would say it twice.
    return heading + table + body + _cut_line(counts, report)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _output_line(name: str, value: str) -> str:
    if "\n" not in value and "\r" not in value:
        return f"{name}={value}\n"
    delimiter = f"gate_{uuid.uuid4().hex}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def publish(
    run: RunResult,
    *,
    report: Path | None = None,
    env: Mapping[str, str] | None = None,
    stream: TextIO | None = None,
) -> None:
    """Annotate, summarise and set the job outputs, when running inside GitHub Actions.

    The summary and outputs files belong to the runner, which reads them once
    the step ends, so they are appended to as GitHub documents.
    """
    env = os.environ if env is None else env
    if env.get("GITHUB_ACTIONS") != "true":
        return
    stream = sys.stdout if stream is None else stream
    workspace = Path(env.get("GITHUB_WORKSPACE") or os.getcwd())
    lines, left_over = annotations_for(run, workspace)
    for line in lines:
        stream.write(line + "\n")
    stream.flush()
    summary_path = env.get("GITHUB_STEP_SUMMARY")
    if summary_path:
        # The 1 MiB limit is on the step's whole file: earlier commands of the
        # same step may have written to it already.
        try:
            already = os.path.getsize(summary_path)
        except FileNotFoundError:
            already = 0
        text = render_summary(
            run, left_over=left_over, report=report, limit=SUMMARY_LIMIT - already
        )
        if text:
            with open(summary_path, "a", encoding="utf-8") as summary:
                summary.write(text)
    output_path = env.get("GITHUB_OUTPUT")
    if output_path:
        with open(output_path, "a", encoding="utf-8") as outputs:
            outputs.write(_output_line("verdict", run.verdict))
            outputs.write(_output_line("report", str(report) if report else ""))
