"""The traceability matrix: postmortem -> action item -> checks -> last result."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from gate.checks import CheckSpec
from gate.links import LinkedItem
from gate.project import Project
from gate.proof.outcome import RANK
from gate.weakening import Weakening


@dataclass(frozen=True)
class TraceRow:
    """One action item and what enforces it."""

    linked: LinkedItem
    in_scope: bool
    checks: tuple[CheckSpec, ...]
    results: Mapping[str, str]  # check id -> status in the given report
    proof: str | None = None  # proven, unproven, broken or unjudged; None without a proof

    @property
    def passing(self) -> bool:
        return bool(self.checks) and all(
            self.results.get(check.id) == "pass" for check in self.checks
        )


@dataclass(frozen=True)
class Trace:
    """The whole matrix and its gaps; `gaps` is what `--strict` fails on."""

    rows: tuple[TraceRow, ...]
    unenforced: tuple[TraceRow, ...]  # gate-enforced items in scope with no check
    orphans: tuple[CheckSpec, ...]  # checks whose action item is gone
    overdue: tuple[TraceRow, ...]  # past due with no passing check
    today: dt.date
    notes: tuple[str, ...] = field(default=())
    weakened: tuple[Weakening, ...] = field(default=())  # against --base
    proved: bool = False  # whether a proof (`gate prove`) fills the proof column
    broken: tuple[str, ...] = field(default=())  # known releases the gate gets wrong
    unjudged: tuple[str, ...] = field(default=())  # expected checks the proof could not judge

    @property
    def gaps(self) -> int:
        return (
            len(self.unenforced)
            + len(self.orphans)
            + len(self.overdue)
            + len(self.weakened)
            + len(self.broken)
        )


def _due(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def proof_marks(proof: Mapping[str, Any]) -> dict[str, str]:
    """Each action item's mark in a `gate-proof/1` proof; an item it does not mention is unproven.

    An item is proven when a known-bad release is blocked by a check of it that
    was expected to, and broken when one of its checks lets a known-bad release
    through or blocks a known-good one; the worse mark wins.
    """
    marks: dict[str, str] = {}
    for release in proof["releases"]:
        for claim in release["claims"]:
            ref = claim["action_item"]
            if ref is not None and RANK[claim["mark"]] > RANK[marks.get(ref, "unproven")]:
                marks[ref] = claim["mark"]
    return marks


def build_trace(
    project: Project,
    report: Mapping[str, Any] | None,
    today: dt.date | None = None,
    weakened: list[Weakening] | None = None,
    proof: Mapping[str, Any] | None = None,
) -> Trace:
    """Match every action item with its checks and, given a report, their last result.

    Given a proof (`gate prove`), each item is marked proven, unproven, broken
    or unjudged, and every known release the gate gets wrong is a gap.
    """
    today = today or dt.datetime.now(dt.UTC).date()
    results: dict[str, str] = {}
    if report is not None:
        results = {check["id"]: check["status"] for check in report.get("checks", [])}
    marks = proof_marks(proof) if proof is not None else {}
    by_ref: dict[str, list[CheckSpec]] = {}
    for check in project.checks:
        by_ref.setdefault(check.action_item, []).append(check)
    rows = tuple(
        TraceRow(
            linked=linked,
            in_scope=project.in_scope(linked.postmortem),
            checks=tuple(by_ref.get(ref, ())),
            results={
                check.id: results[check.id] for check in by_ref.get(ref, ()) if check.id in results
            },
            proof=None if proof is None else marks.get(ref, "unproven"),
        )
        for ref, linked in project.action_items.items()
    )
    enforced = [row for row in rows if row.in_scope and row.linked.item.enforced]
    unenforced = tuple(row for row in enforced if not row.checks)
    # Past due with no passing check. Items with no check at all are already
    # unenforced; results are only known from a report.
    overdue = tuple(
        row
        for row in enforced
        if report is not None
        and row.checks
        and (due := _due(row.linked.item.due)) is not None
        and due < today
        and not row.passing
    )
    orphan_ids = {error.path for error in project.broken_links}
    orphans = tuple(check for check in project.checks if check.path in orphan_ids)
    notes = () if report is not None else ("no --report given: results are unknown",)
    return Trace(
        rows,
        unenforced,
        orphans,
        overdue,
        today,
        notes,
        tuple(weakened or ()),
        proved=proof is not None,
        broken=tuple(proof["broken"]) if proof is not None else (),
        unjudged=tuple(proof["unjudged"]) if proof is not None else (),
    )


def trace_to_json(trace: Trace) -> dict[str, Any]:
    """The matrix as plain data."""
    return {
        "today": trace.today.isoformat(),
        "gaps": trace.gaps,
        "items": [
            {
                **row.linked.to_json(),
                "in_scope": row.in_scope,
                "checks": [
                    {"id": check.id, "result": row.results.get(check.id)} for check in row.checks
                ],
                "proof": row.proof,
            }
            for row in trace.rows
        ],
        "unenforced": [row.linked.ref for row in trace.unenforced],
        "orphans": [
            {"check": check.id, "action_item": check.action_item} for check in trace.orphans
        ],
        "overdue": [row.linked.ref for row in trace.overdue],
        "weakened": [
            {"check": w.check, "action_item": w.action_item, "what": w.what} for w in trace.weakened
        ],
        "broken": list(trace.broken),
        "unjudged": list(trace.unjudged),
        "notes": list(trace.notes),
    }


def _cells(row: TraceRow) -> list[str]:
    item = row.linked.item
    checks = ", ".join(
        f"{check.id} ({row.results.get(check.id, 'no result')})" for check in row.checks
    )
    if not row.checks:
        checks = "none" if item.enforced else "manual (not gate-enforced)"
    if not row.in_scope:
        checks += " [other service]"
    cells = [row.linked.ref, item.owner, item.due, item.priority or "-", checks]
    cells.append(item.done_when_text)
    return cells if row.proof is None else [*cells, row.proof]


HEADERS = ["action item", "owner", "due", "priority", "checks (last result)", "done when"]


def trace_headers(trace: Trace) -> list[str]:
    """The columns: a proof adds one."""
    return [*HEADERS, "proof"] if trace.proved else HEADERS


def gap_lines(trace: Trace) -> list[str]:
    """One sentence per gap, for the end of every format."""
    lines = [
        f"unenforced: {row.linked.ref} is gate-enforced but no check names it "
        f"(due {row.linked.item.due})"
        for row in trace.unenforced
    ]
    lines += [
        f"orphan: {check.path.name} names {check.action_item}, which does not exist"
        for check in trace.orphans
    ]
    lines += [
        f"overdue: {row.linked.ref} was due {row.linked.item.due}; its checks do not all pass"
        for row in trace.overdue
    ]
    lines += [str(weakening) for weakening in trace.weakened]
    lines += [f"broken: {sentence}" for sentence in trace.broken]
    lines += [f"unjudged: {sentence}" for sentence in trace.unjudged]
    return lines


def trace_to_markdown(trace: Trace) -> str:
    """A Markdown table for a pull-request comment or a step summary."""
    headers = trace_headers(trace)
    out = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    for row in trace.rows:
        cells = [cell.replace("|", "\\|") for cell in _cells(row)]
        out.append("| " + " | ".join(cells) + " |")
    gaps = gap_lines(trace)
    out.append("")
    out.append(
        f"**{trace.gaps} gaps**"
        if trace.gaps
        else "**No gaps**: every gate-enforced item has a check."
    )
    out.extend(f"- {line}" for line in gaps)
    out.extend(f"- note: {note}" for note in trace.notes)
    return "\n".join(out) + "\n"


def trace_rows(trace: Trace) -> list[list[str]]:
    return [_cells(row) for row in trace.rows]
