"""The pull request comment: a branch's verdict, each check beside the base branch's run.

A pull request that edits checks, corpora, postmortems, releases or gate.yaml
changes the release policy; the comment shows what that does to the measured
values before anyone merges it. It reads two finished JSON reports and decides
nothing: the verdict is the head report's own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gate.reports.console import format_measured
from gate.reports.github import markdown_text
from gate.words import counted

# The workflow finds its own comment by this first line and edits it in place.
MARKER = "<!-- gate: pull request comment -->"
COMMENT_LIMIT = 65536  # characters GitHub takes in one comment
_ICON = {"pass": "✅", "fail": "❌", "error": "⚠️", "skipped": "⏭️"}
_VERDICT = {"pass": "PASS", "fail": "BLOCKED", "error": "UNJUDGED"}


def _measured(entry: Mapping[str, Any] | None) -> str:
    if entry is None:
        return "—"
    text = format_measured(entry.get("measured"), entry.get("limit"))
    return f"{text} ({entry['status']})"


def _row(entry: Mapping[str, Any], base: Mapping[str, Any] | None) -> str:
    status = str(entry["status"])
    item = entry.get("action_item") or {}
    cells = [
        _ICON.get(status, ""),
        f"`{entry['id']}`",
        markdown_text(_measured(entry)),
        markdown_text(_measured(base)),
        markdown_text(entry.get("limit") or "—"),
        markdown_text(item.get("ref", "—")),
    ]
    if base is not None and base.get("status") != status:
        cells[1] += " **changed**"
    return "| " + " | ".join(cells) + " |"


def render_comment(
    head: Mapping[str, Any], base: Mapping[str, Any] | None, *, limit: int = COMMENT_LIMIT
) -> str:
    """The comment's Markdown, at most `limit` characters, starting with MARKER.

    Args:
        head: the JSON report (gate-report/1) of the pull request's run.
        base: the JSON report of the same suite on the base branch, or None when
            there is none (the base could not be run); every base cell is then "—".
        limit: characters the comment may take; rows past it are counted, not shown.
    """
    verdict = str(head.get("verdict", "error"))
    manifest = (head.get("manifest") or {}).get("path") or "the configured manifest"
    lines = [
        MARKER,
        f"## {_ICON.get(verdict, '⚠️')} gate on this pull request: "
        f"{_VERDICT.get(verdict, 'UNJUDGED')}",
        "",
        f"Suite `{markdown_text(head.get('suite', ''))}` at {markdown_text(manifest)}, "
        "each check measured on this branch and on the base branch.",
        "",
    ]
    if base is None:
        lines += ["The base branch could not be run: its column is empty.", ""]
    base_entries = {entry["id"]: entry for entry in (base or {}).get("checks", [])}
    head_ids = [entry["id"] for entry in head.get("checks", [])]
    lines += [
        "|  | check | this branch | base branch | limit | action item |",
        "|---|---|---|---|---|---|",
    ]
    footer = [
        f"\n{counted(len(head_ids), 'check')}; the JSON reports are in the workflow's artifacts."
    ]
    gone = [ident for ident in base_entries if ident not in head_ids]
    if gone:
        names = ", ".join(f"`{ident}`" for ident in gone)
        footer.insert(0, f"\nChecks of the base branch that this branch removes: {names}")
    budget = limit - len("\n".join(lines + footer)) - 200
    left_out = 0
    for entry in head.get("checks", []):
        row = _row(entry, base_entries.get(entry["id"]))
        if left_out or len(row) + 1 > budget:
            left_out += 1
            continue
        lines.append(row)
        budget -= len(row) + 1
    if left_out:
        rows = f"{counted(left_out, 'more row')} {'is' if left_out == 1 else 'are'}"
        lines.append(f"\n{rows} left out to fit GitHub's comment limit.")
    return "\n".join(lines + footer) + "\n"
