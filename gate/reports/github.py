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
from pathlib import Path
from typing import TextIO

from gate.reports.console import accounting_lines, measured_text
from gate.results import CheckResult, RunResult
from gate.status import ExitCode, Status

MAX_ANNOTATIONS = 10  # GitHub shows at most 10 error annotations per step
SUMMARY_LIMIT = 1024 * 1024  # GitHub refuses a step summary over 1 MiB
MAX_REASON = 500  # characters of one sample's reason in the summary
_RESERVE = 1024  # room kept for the note that says samples were left out

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


def _markdown(text: object) -> str:
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


def _head(run: RunResult, left_over: list[CheckResult]) -> str:
    icon, word, meaning = _VERDICT.get(run.exit_code, _VERDICT[ExitCode.UNJUDGED])
    lines = []
    if _partial(run):
        lines.append(
            f"## {icon} gate: shard {run.shard} of suite {_markdown(run.suite)}: "
            f"{word} on its part\n\n"
            "Partial counts of one shard: `gate merge` judges the thresholds on the sum "
            "of every shard, and gives the verdict.\n"
        )
    else:
        lines.append(f"## {icon} gate: {word} — {meaning}\n")
    counts = ", ".join(f"{count} {status}" for status, count in run.counts().items() if count)
    facts = [f"suite {_markdown(run.suite)}"]
    if run.manifest and run.manifest.get("version"):
        facts.append(f"release {_markdown(run.manifest['version'])}")
    facts.append(counts)
    if run.shards_merged:
        facts.append(f"merged from {run.shards_merged} shards")
    if run.provenance is not None and run.provenance.commit:
        facts.append(f"commit {_markdown(run.provenance.commit[:12])}")
    facts.append(f"{run.duration_s:.2f} s")
    lines.append(" · ".join(facts) + "\n")
    lines.extend(f"**{_markdown(line)}**\n" for line in accounting_lines(run))
    lines.append("|  | check | status | measured | limit | action item | owner | postmortem |")
    lines.append("|---|---|---|---|---|---|---|---|")
    for result in run.results:
        status = result.status.value + ("" if result.check.blocking else " (advisory)")
        texts = (
            status,
            measured_text(result),
            result.limit or "—",
            *_action_item_cells(run, result),
        )
        # Check ids are [a-z0-9._-] by the check schema, so a code span needs no escaping.
        row = [_ICON[result.status], f"`{result.check.id}`", *map(_markdown, texts)]
        lines.append("| " + " | ".join(row) + " |")
    if left_over:
        names = ", ".join(f"`{result.check.id}`" for result in left_over)
        lines.append(
            f"\n{len(left_over)} more problems are not annotated "
            f"(GitHub shows {MAX_ANNOTATIONS} per step): {names}"
        )
    return "\n".join(lines) + "\n"


def _samples_section(result: CheckResult) -> str:
    samples = result.tally.samples if result.tally else []
    title = f"<code>{result.check.id}</code>: {html.escape(result.message, quote=False)}"
    lines = [f"<details><summary>{title}</summary>\n"]
    for sample in samples:
        reason = sample.reason
        if len(reason) > MAX_REASON:
            reason = reason[:MAX_REASON] + "…"
        where = f"{sample.corpus}:{sample.line}"
        lines.append(
            f"- {_markdown(sample.item)} ({_markdown(where)}, {sample.outcome}): "
            f"{_markdown(reason)}"
        )
    if not samples:
        lines.append("No sample items: the check could not be judged as a whole.")
    lines.append("\n</details>\n")
    return "\n".join(lines) + "\n"


def render_summary(
    run: RunResult,
    *,
    left_over: list[CheckResult] | None = None,
    report: Path | None = None,
    limit: int = SUMMARY_LIMIT,
) -> str:
    """The step summary: the verdict first, the whole table, then the worst samples.

    Kept under `limit` bytes by leaving samples out, never rows of the table.
    """
    head = _head(run, left_over or [])
    tail = "".join(f"\n> note: {_markdown(note)}\n" for note in run.notes)
    if report is not None:
        tail += f"\nThe whole run is in the JSON report {_markdown(report)}.\n"
    budget = limit - len(head.encode()) - len(tail.encode()) - _RESERVE
    sections: list[str] = []
    left_out = 0
    for result in _problems(run):
        section = _samples_section(result)
        size = len(section.encode())
        if left_out or size > budget:
            left_out += 1
            continue
        sections.append(section)
        budget -= size
    body = ("\n### Worst samples\n\n" + "".join(sections)) if sections else ""
    if left_out:
        body += (
            f"\nSamples of {left_out} more checks are left out to keep this summary under "
            "GitHub's 1 MiB limit; the JSON report has them all.\n"
        )
    return head + body + tail


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
        text = render_summary(run, left_over=left_over, report=report)
        with open(summary_path, "a", encoding="utf-8") as summary:
            summary.write(text)
    output_path = env.get("GITHUB_OUTPUT")
    if output_path:
        with open(output_path, "a", encoding="utf-8") as outputs:
            outputs.write(_output_line("verdict", run.verdict))
            outputs.write(_output_line("report", str(report) if report else ""))
