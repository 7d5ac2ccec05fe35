"""Merging shards: add the tallies up and judge every threshold again on the sum.

A rate is never averaged: 3 failures in 100 and 0 in 100 are 3 in 200, which
is what one unsharded run would have measured.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from gate.checks import CheckSpec
from gate.errors import InputError, InputErrors
from gate.kinds.base import ResponseKind
from gate.project import Project
from gate.provenance import checks_digest, config_digest
from gate.results import CheckResult, RunResult
from gate.shardset import ShardReport
from gate.status import Status
from gate.tally import Tally
from gate.verdicts import decide_tally, result_of, start_kind


def _against_project(project: Project, first: ShardReport) -> list[InputError]:
    # The thresholds re-judged here come from this checkout's check files, so
    # they must be the very files the shards ran with.
    fix = (
        f"run gate merge in a checkout of the commit the shards ran "
        f"({first.provenance.commit or 'unknown'})"
    )
    errors = []
    if config_digest(project) != first.provenance.config:
        errors.append(
            InputError(
                project.config.path, f"differs from the one {first.name} was made with", fix=fix
            )
        )
    if checks_digest(project) != first.provenance.checks:
        errors.append(
            InputError(
                project.config.checks_dir,
                f"the check files differ from those {first.name} was made with",
                fix=fix,
            )
        )
    return errors


def _as_reported(check: CheckSpec, entry: Mapping[str, Any]) -> CheckResult:
    """A result exactly as one shard reported it (static checks, skipped checks)."""
    return CheckResult(
        check,
        Status(entry["status"]),
        measured=entry.get("measured"),
        limit=entry.get("limit"),
        message=str(entry["message"]),
        tally=Tally.from_entry(entry) if "tally" in entry else None,
        details=dict(entry.get("details", {})),
        duration_s=float(entry.get("duration_s", 0.0)),
        crashed=bool(entry.get("crashed", False)),
    )


def _sum(entries: list[Mapping[str, Any]]) -> Tally | None:
    if any("tally" not in entry for entry in entries):
        return None
    # Folded from the first shard's tally, so the sum keeps the cap the shards listed to.
    tallies = [Tally.from_entry(entry) for entry in entries]
    return functools.reduce(Tally.merge, tallies[1:], tallies[0])


def _merge_response(
    project: Project, check: CheckSpec, entries: list[Mapping[str, Any]], shards: list[str]
) -> CheckResult:
    duration = round(sum(float(entry.get("duration_s", 0.0)) for entry in entries), 3)
    tally = _sum(entries)
    crashed = [
        f"shard {shard}: {entry['message']}"
        for shard, entry in zip(shards, entries, strict=True)
        if entry.get("crashed")
    ]
    if crashed or tally is None:
        # A check that stopped in any shard stays an error: the other shards'
        # items cannot stand in for the ones it never judged.
        message = "; ".join(crashed) or "a shard reported no tally for this check"
        return CheckResult(
            check, Status.ERROR, message=message, tally=tally, duration_s=duration, crashed=True
        )
    kind, problem = start_kind(check, project.registry.kinds[check.kind])
    if problem is not None or not isinstance(kind, ResponseKind):
        return CheckResult(
            check,
            Status.ERROR,
            message=problem or f"kind '{check.kind}' did not start as a ResponseKind",
            tally=tally,
            duration_s=duration,
            crashed=True,
        )
    measurement = decide_tally(check, kind, tally)
    return result_of(check, measurement, tally=tally, duration_s=duration)


def _entries(reports: list[ShardReport], check_id: str) -> list[Mapping[str, Any]]:
    entries = []
    for report in reports:
        entry = report.entry(check_id)
        if entry is None:
            raise InputError(
                report.path,
                f"has no entry for check '{check_id}', which the other shards judged",
                fix="merge the shard reports of one run of one commit, nothing else",
            )
        entries.append(entry)
    return entries


def merge_reports(project: Project, reports: list[ShardReport]) -> RunResult:
    """The run the shards add up to, judged again on the summed tallies.

    `reports` come from `load_shard_set`: every shard of one run, in order.
    Static checks are taken from shard 1, which alone judged them.
    """
    first = reports[0]
    errors = _against_project(project, first)
    if errors:
        raise InputErrors(errors)
    by_id = {check.id: check for check in project.checks}
    shards = [str(report.shard) for report in reports]
    results: list[CheckResult] = []
    for head in first.entries():
        check = by_id[head["id"]]
        scope = project.registry.kinds[check.kind].scope
        if scope == "static" or (head["status"] == Status.SKIPPED and "tally" not in head):
            results.append(_as_reported(check, head))
        else:
            results.append(_merge_response(project, check, _entries(reports, check.id), shards))
    notes = [
        f"shard {report.shard}: {note}" if len(reports) > 1 else note
        for report in reports
        for note in report.data.get("notes", ())
    ]
    return RunResult(
        suite=first.suite,
        results=tuple(results),
        target=dict(first.data["target"]),
        manifest=first.data.get("manifest"),
        started_at=min(str(report.data["started_at"]) for report in reports),
        finished_at=max(str(report.data["finished_at"]) for report in reports),
        duration_s=max(float(report.data["duration_s"]) for report in reports),
        notes=tuple(notes),
        provenance=first.provenance,
        shard=None,
        shards_merged=len(reports),
        action_items=_action_items(first),
    )


def _action_items(report: ShardReport) -> dict[str, Mapping[str, Any]]:
    # What the shards knew of each action item, as they reported it: the
    # same postmortems at the same commit, so shard 1 speaks for all.
    items: dict[str, Mapping[str, Any]] = {}
    for entry in report.entries():
        item = entry.get("action_item")
        if isinstance(item, dict) and "ref" in item and len(item) > 1:
            items[str(item["ref"])] = dict(item)
    return items
