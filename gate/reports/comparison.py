"""A comparison of two reports as a person reads it: console lines, or Markdown for a
pull request comment or a step summary. The JSON form is `Comparison.to_json`."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any, TextIO

from gate.compare import CheckChange, Comparison
from gate.reports.console import format_measured
from gate.reports.github import markdown_text


def _measured(change: CheckChange, side: str) -> str:
    entry = change.base if side == "base" else change.now
    if entry is None:
        return "absent"
    return format_measured(entry.get("measured"), entry.get("limit"))


def _status(change: CheckChange) -> str:
    then, now = change.status_then or "absent", change.status_now or "absent"
    return now if then == now else f"{then} -> {now}"


def _items(change: CheckChange) -> str:
    return f"{len(change.newly_failing)} newly failing, {len(change.newly_fixed)} newly fixed"


def _side(about: Mapping[str, Any]) -> str:
    version = about.get("version") or about.get("report") or "?"
    return f"{version} ({about.get('verdict') or '?'})"


def render_comparison(comparison: Comparison, stream: TextIO) -> None:
    """Console lines: one per check, then each check's newly failing and fixed items."""
    stream.write(
        f"compare (suite {comparison.suite}): base {_side(comparison.base)}, "
        f"now {_side(comparison.now)}\n"
    )
    width = max((len(change.id) for change in comparison.changes), default=0)
    for change in comparison.changes:
        changed = change.status_then != change.status_now
        mark = "WORSE" if change.worse else ("CHANGED" if changed else "same")
        stream.write(
            f"{mark:<8} {change.id:<{width}}  {_measured(change, 'base')} -> "
            f"{_measured(change, 'now')}  {_status(change)}; {_items(change)}\n"
        )
    for change in comparison.changes:
        for words, items in (
            ("newly failing", change.newly_failing),
            ("newly fixed", change.newly_fixed),
        ):
            if items:
                names = ", ".join(item for item, _at in items)
                text = f"{change.id} {words} ({len(items)}): {names}"
                stream.write(textwrap.fill(text, width=100, subsequent_indent="    ") + "\n")
        if change.cut:
            stream.write(
                f"  {change.id}: a report's list of items was cut (--max-items-per-check); "
                "items past it are not compared\n"
            )
    stream.write(comparison.headline + "\n")


def comparison_markdown(comparison: Comparison) -> str:
    """A Markdown table of every check then and now, the item ids under a fold per check."""
    lines = [
        f"### Compared with {markdown_text(_side(comparison.base))}",
        "",
        f"**{markdown_text(comparison.headline)}**",
        "",
        "| check | base | now | status | newly failing | newly fixed |",
        "|---|---|---|---|---|---|",
    ]
    for change in comparison.changes:
        cells = [
            f"`{change.id}`" + (" **worse**" if change.worse else ""),
            markdown_text(_measured(change, "base")),
            markdown_text(_measured(change, "now")),
            markdown_text(_status(change)),
            str(len(change.newly_failing)),
            str(len(change.newly_fixed)),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    for change in comparison.changes:
        for words, items in (
            ("newly failing", change.newly_failing),
            ("newly fixed", change.newly_fixed),
        ):
            if items:
                names = ", ".join(f"`{markdown_text(item)}`" for item, _at in items)
                lines += [
                    "",
                    f"<details><summary><code>{change.id}</code>: {len(items)} {words}</summary>",
                    "",
                    names,
                    "",
                    "</details>",
                ]
    return "\n".join(lines) + "\n"
