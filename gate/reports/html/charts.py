"""The HTML report's charts, as Chart.js configurations: plain data, drawn by the page.

Each function returns a configuration (`type`, `data`, `options`) that JSON can
hold, or None when there is nothing to draw: a check whose measured value or
limit is not a number gets no chart, never a made-up one.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

# A limit as kinds write it: `<= 2.00%`, `>= 0.92`, `>= 24, drop <= 4x`: the first bound.
_LIMIT = re.compile(r"^\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)\s*(%?)")
_COLOURS = {"pass": "#2e7d32", "fail": "#c62828", "error": "#ef6c00", "skipped": "#9e9e9e"}
_GREY, _BASE = "#616161", "#90a4ae"
_BINS = 12


def limit_bound(limit: str | None) -> tuple[str, float, bool] | None:
    """(comparison, value, in percent) of a limit's first bound, or None when it has none.

    Args:
        limit: a check's limit as its kind wrote it; `<= 2.00%` is ("<=", 0.02, True).
    """
    found = _LIMIT.match(limit or "")
    if found is None:
        return None
    value = float(found.group(2))
    percent = found.group(3) == "%"
    return found.group(1), value / 100 if percent else value, percent


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _scaled(value: float, percent: bool) -> float:
    return round(value * 100, 4) if percent else value


def measured_chart(
    entry: Mapping[str, Any], base: Mapping[str, Any] | None = None
) -> dict[str, Any] | None:
    """A bar for the measured value, one for the base report's, and one for the limit."""
    bound = limit_bound(entry.get("limit"))
    measured = _number(entry.get("measured"))
    if bound is None or measured is None:
        return None
    comparison, limit, percent = bound
    labels = ["this run"]
    values = [_scaled(measured, percent)]
    colours = [_COLOURS.get(str(entry.get("status")), _GREY)]
    before = _number(base.get("measured")) if base is not None else None
    if before is not None:
        labels.append("base")
        values.append(_scaled(before, percent))
        colours.append(_BASE)
    labels.append(f"limit ({comparison})")
    values.append(_scaled(limit, percent))
    colours.append(_GREY)
    return {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [{"label": entry.get("id"), "data": values, "backgroundColor": colours}],
        },
        "options": _options("%" if percent else "measured", horizontal=True),
    }


def length_chart(lengths: Mapping[int, int], missing: int, field: str) -> dict[str, Any] | None:
    """How long the answers' text field was: blank and missing apart, the rest in bins."""
    if not lengths and not missing:
        return None
    longest = max(lengths, default=0)
    width = max(1, math.ceil(longest / _BINS))
    labels = ["missing", "blank"]
    counts = [missing, lengths.get(0, 0)]
    for start in range(1, longest + 1, width):
        end = min(longest, start + width - 1)
        labels.append(str(start) if start == end else f"{start}-{end}")
        counts.append(sum(lengths.get(n, 0) for n in range(start, end + 1)))
    colours = ["#c62828", "#c62828", *([_BASE] * (len(labels) - 2))]
    return {
        "type": "bar",
        "data": {
            "labels": labels,
            "datasets": [
                {
                    "label": f"answers by length of {field}",
                    "data": counts,
                    "backgroundColor": colours,
                }
            ],
        },
        "options": _options(f"answers (by characters of {field})"),
    }


def rounds_chart(
    check_id: str, rounds: Sequence[Mapping[str, Any]], crossed: Sequence[Mapping[str, Any]]
) -> dict[str, Any] | None:
    """A bake's rounds over time: each round's measured value, its limit, and the round in
    which a limit was crossed, marked."""
    points: list[tuple[int, str, float | None, float | None, str]] = []
    percent = False
    for record in rounds:
        entry = next((c for c in record.get("checks", ()) if c.get("check") == check_id), None)
        if entry is None:
            continue
        bound = limit_bound(entry.get("limit"))
        percent = percent or bool(bound and bound[2])
        number = int(record.get("round", 0))
        label = f"round {number} {str(record.get('started_at', ''))[11:19]}".rstrip()
        limit = bound[1] if bound else None
        points.append((number, label, _number(entry.get("measured")), limit, entry["status"]))
    if all(point[2] is None for point in points):
        return None
    marked = {c.get("round") for c in crossed}
    measured = [None if p[2] is None else _scaled(p[2], percent) for p in points]
    limits = [None if p[3] is None else _scaled(p[3], percent) for p in points]
    return {
        "type": "line",
        "data": {
            "labels": [point[1] for point in points],
            "datasets": [
                {
                    "label": "measured",
                    "data": measured,
                    "borderColor": _GREY,
                    "pointBackgroundColor": [_COLOURS.get(str(p[4]), _GREY) for p in points],
                    # The round that crossed a limit: the moment the rollback signal came.
                    "pointRadius": [9 if p[0] in marked else 4 for p in points],
                    "pointStyle": ["rectRot" if p[0] in marked else "circle" for p in points],
                },
                {
                    "label": "limit",
                    "data": limits,
                    "borderColor": "#c62828",
                    "borderDash": [6, 4],
                    "pointRadius": 0,
                },
            ],
        },
        "options": _options("%" if percent else "measured", legend=True),
    }


def _options(axis: str, *, horizontal: bool = False, legend: bool = False) -> dict[str, Any]:
    value_axis = "x" if horizontal else "y"
    return {
        "animation": False,  # drawn at once: a screenshot or a print shows the whole chart
        "maintainAspectRatio": False,
        "indexAxis": "y" if horizontal else "x",
        "plugins": {"legend": {"display": legend}},
        "scales": {value_axis: {"beginAtZero": True, "title": {"display": True, "text": axis}}},
    }
