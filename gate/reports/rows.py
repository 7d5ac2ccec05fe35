"""A check a row: status, id, measured and limit, with its action item and owner under it.

Laid out for a terminal of a given width, or as plain lines for a log. The
status word and the whole check id are never cut: the limit wraps in its own
column, and the action item gets a line of its own rather than a squeezed
column, so the table reads at 80 columns as well as at 200.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gate.results import CheckResult

GAP = "  "
MIN_LIMIT = 16  # the narrowest the limit column gets before the table overflows instead
HEADER_WORDS = ("status", "check", "measured", "limit")


@dataclass(frozen=True)
class Row:
    """One check as a table shows it."""

    status: str  # the status word, such as FAIL
    check: str  # the whole check id
    measured: str
    limit: str
    under: tuple[str, ...] = ()  # lines under the row: the action item and owner, the tally


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


def owner_line(item: Mapping[str, Any], *notes: str) -> str:
    """`INC-...#AI-4, owner Borja`, as far as the action item is known, then any notes."""
    text = str(item["ref"])
    if item.get("owner"):
        text += f", owner {item['owner']}"
    return "; ".join([text, *notes])


def row_of(
    result: CheckResult,
    item: Mapping[str, Any],
    *,
    under: Sequence[str] = (),
    notes: Sequence[str] = (),
) -> Row:
    """A check's row: its action item and owner (and `notes`) on the line below it, then `under`.

    Args:
        result: the check's result.
        item: what the report knows of its action item (`ref`, perhaps `owner`).
        under: further lines under the row, such as the tally.
        notes: said after the owner, such as that a dry run does not decide.
    """
    advisory = () if result.check.blocking else ("advisory: does not block",)
    return Row(
        result.status.value.upper(),
        result.check.id,
        measured_text(result),
        result.limit or "-",
        (owner_line(item, *advisory, *notes), *under),
    )


def table_lines(rows: Sequence[Row], width: int) -> list[list[str]]:
    """The header's lines, then each row's, laid out to fit `width` columns.

    Each row's first line starts with its status word. The limit wraps within
    its column; the lines under a row wrap too, indented past the status.
    """
    header = Row(*HEADER_WORDS)
    table = [header, *rows]
    status_w = max(len(row.status) for row in table)
    check_w = max(len(row.check) for row in table)
    measured_w = max(len(row.measured) for row in table)
    before_limit = status_w + check_w + measured_w + 3 * len(GAP)
    limit_w = max(MIN_LIMIT, width - before_limit)
    indent = " " * (status_w + len(GAP))
    laid_out = []
    for row in table:
        limits = textwrap.wrap(row.limit, limit_w, break_on_hyphens=False) or [""]
        first = GAP.join(
            (
                row.status.ljust(status_w),
                row.check.ljust(check_w),
                row.measured.ljust(measured_w),
                limits[0],
            )
        )
        lines = [first.rstrip()] + [" " * before_limit + rest for rest in limits[1:]]
        for text in row.under:
            lines += textwrap.wrap(
                text,
                max(width, len(indent) + MIN_LIMIT),
                initial_indent=indent,
                subsequent_indent=indent + "  ",
                break_on_hyphens=False,
            )
        laid_out.append(lines)
    return laid_out


def plain_lines(rows: Sequence[Row], indent: str = "") -> list[str]:
    """Every row on one line, labelled, its lines under it: greppable in a CI log.

    The status and measured columns keep a least width (SKIPPED, 100.00%), so
    a row reads the same whichever other checks ran beside it.
    """
    status_w = max([len("SKIPPED"), *(len(row.status) for row in rows)])
    check_w = max((len(row.check) for row in rows), default=0)
    measured_w = max([len("100.00%"), *(len(row.measured) for row in rows)])
    under = indent + " " * (status_w + len(GAP))
    lines = []
    for row in rows:
        lines.append(
            f"{indent}{row.status:<{status_w}}{GAP}{row.check:<{check_w}}{GAP}measured "
            f"{row.measured:<{measured_w}}{GAP}limit {row.limit}"
        )
        lines.extend(under + text for text in row.under)
    return lines
