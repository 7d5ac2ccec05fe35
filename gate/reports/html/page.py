"""What the HTML report's template is given: a finished report turned into rows, charts and data.

Nothing here decides a verdict; it formats what the report says.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from gate import __version__
from gate.reports.console import format_measured
from gate.reports.html.charts import length_chart, measured_chart, rounds_chart

if TYPE_CHECKING:
    from gate.reports.html.items import ItemCollector

_VERDICT = {
    "pass": "PASS: every blocking check passed",
    "fail": "BLOCKED: at least one blocking check failed",
    "error": "UNJUDGED: a blocking check could not be judged",
}


def _judged(tally: Mapping[str, Any] | None, left_out: int) -> str:
    if not tally:
        return ""
    text = (
        f"judged {tally.get('judged', 0)} of {tally['total']} items ({tally['passed']} passed, "
        f"{tally['failed']} failed, {tally['errored']} errored)"
    )
    if left_out:
        text += f"; {left_out} failed or errored items past --max-items-per-check are not listed"
    return text


def _row(entry: Mapping[str, Any], base: Mapping[str, Any] | None) -> dict[str, Any]:
    item = entry.get("action_item") or {}
    return {
        "id": entry["id"],
        "status": entry["status"],
        "blocking": entry.get("blocking", True),
        "message": entry.get("message", ""),
        "judged": _judged(entry.get("tally"), int(entry.get("samples_left_out", 0))),
        "measured": format_measured(entry.get("measured"), entry.get("limit")),
        "limit": entry.get("limit") or "-",
        "base": (
            format_measured(base["measured"]["base"], entry.get("limit"))
            + f" ({base['status']['base'] or 'absent'})"
            if base is not None
            else "-"
        ),
        "ref": item.get("ref", ""),
        "action": item.get("action", ""),
        "owner": item.get("owner", ""),
        "due": item.get("due", ""),
        "postmortem": item.get("postmortem_title") or item.get("postmortem", ""),
    }


def _rounds_items(rounds: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """A bake's item table: the failed and errored items each round's report lists."""
    corpora: list[str] = []
    rows: list[list[Any]] = []
    checks: dict[str, dict[str, list[Any]]] = {}
    reasons: dict[str, int] = {}
    for record in rounds:
        for entry in record.get("checks", ()):
            kept = checks.setdefault(entry["check"], {"reads": [], "problems": []})
            for sample in entry.get("samples", ()):
                where = f"round {record.get('round')}: {sample['corpus']}"
                if where not in corpora:
                    corpora.append(where)
                index = len(rows)
                rows.append([sample["item"], corpora.index(where), sample["line"], "", "", None])
                kept["reads"].append([index, 1])
                outcome = "fail" if sample["outcome"] == "failed" else "error"
                reason = reasons.setdefault(sample["reason"], len(reasons))
                kept["problems"].append([index, outcome, reason, sample.get("cause", "")])
    return {"corpora": corpora, "rows": rows, "checks": checks, "reasons": list(reasons)}


def page_context(report: Mapping[str, Any], items: ItemCollector | None) -> dict[str, Any]:
    """Everything the template shows, the page script's data block included."""
    comparison = report.get("comparison")
    changes = {c["check"]: c for c in comparison["checks"]} if comparison else {}
    rounds = report.get("rounds")
    charts: list[dict[str, Any]] = []

    def chart(title: str, config: dict[str, Any] | None, *, tall: bool = False) -> None:
        if config is not None:
            charts.append(
                {"title": title, "canvas": f"chart-{len(charts)}", "tall": tall, "config": config}
            )

    rows = []
    for entry in report["checks"]:
        change = changes.get(entry["id"])
        rows.append(_row(entry, change))
        if rounds:
            crossed = (entry.get("details") or {}).get("crossed", ())
            chart(
                f"{entry['id']}: each round", rounds_chart(entry["id"], rounds, crossed), tall=True
            )
            continue
        base = {"measured": change["measured"]["base"]} if change else None
        chart(f"{entry['id']}: measured against its limit", measured_chart(entry, base))
        lengths = items.lengths(entry["id"]) if items is not None else None
        if lengths is not None:
            field = items.checks[entry["id"]].field if items is not None else ""
            chart(f"{entry['id']}: length of {field}", length_chart(*lengths, str(field)))
    data: dict[str, Any] = {
        "charts": [{"canvas": c["canvas"], "config": c.pop("config")} for c in charts],
        "newly_failing": {
            ident: [item["item"] for item in change["newly_failing"]]
            for ident, change in changes.items()
        },
    }
    if items is not None:
        data["items"] = items.to_json()
        note = "One row per item each check judged; filter by check and verdict, or search."
    elif rounds:
        data["items"] = _rounds_items(rounds)
        note = "A bake lists each round's failed and errored items."
    else:
        note = ""
    counts = report.get("counts") or {}
    verdict = str(report.get("verdict", "error"))
    manifest = report.get("manifest") or {}
    return {
        "title": f"{report.get('suite')} {manifest.get('version') or ''}".strip(),
        "verdict": verdict if verdict in _VERDICT else "error",
        "verdict_text": _VERDICT.get(verdict, _VERDICT["error"]),
        "suite": report.get("suite", ""),
        "version": manifest.get("version"),
        "counts": ", ".join(f"{n} {status}" for status, n in counts.items() if n),
        "started_at": report.get("started_at", ""),
        "duration_s": float(report.get("duration_s", 0.0)),
        "notes": list(report.get("notes", ())),
        "checks": rows,
        "charts": charts,
        "comparison": _comparison(comparison),
        "has_items": "items" in data,
        "item_checks": list(data["items"]["checks"]) if "items" in data else [],
        "items_note": note,
        "data": data,
        "gate_version": __version__,
    }


def _comparison(comparison: Mapping[str, Any] | None) -> dict[str, str] | None:
    if not comparison:
        return None
    base = comparison.get("base") or {}
    name = base.get("version") or base.get("report") or "the base report"
    return {"base_name": str(name), "headline": str(comparison.get("headline", ""))}
