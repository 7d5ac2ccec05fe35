"""The JSON report (`schema: gate-report/1`): the whole run, for machines and for `gate merge`."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from gate import __version__
from gate.reports.atomic import write_atomic
from gate.results import CheckResult, RunResult

SCHEMA = "gate-report/1"


def _number(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def check_to_json(result: CheckResult, run: RunResult) -> dict[str, Any]:
    check = result.check
    entry: dict[str, Any] = {
        "id": check.id,
        "kind": check.kind,
        "status": result.status.value,
        "blocking": check.blocking,
        "action_item": dict(run.action_item(check.action_item)),
        "description": check.description,
        "file": str(check.path.name),
        "measured": _number(result.measured),
        "limit": result.limit,
        "message": result.message,
        "duration_s": result.duration_s,
        "crashed": result.crashed,
    }
    if check.corpora:
        entry["corpora"] = list(check.corpora)
    if check.select is not None:
        entry["select"] = check.select.to_json()
    if result.tally is not None:
        entry["tally"] = result.tally.to_json()
        entry.update(result.tally.listed_json())
    if result.details:
        entry["details"] = dict(result.details)
    return entry


def report_to_json(run: RunResult) -> dict[str, Any]:
    """The report as plain data."""
    return {
        "schema": SCHEMA,
        "gate_version": __version__,
        "verdict": run.verdict,
        "exit_code": int(run.exit_code),
        "suite": run.suite,
        "target": dict(run.target),
        "manifest": dict(run.manifest) if run.manifest else None,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "duration_s": run.duration_s,
        "counts": run.counts(),
        # passed + failed + errored == planned, for every response check.
        "accounting": run.accounting(),
        "notes": list(run.notes),
        "checks": [check_to_json(result, run) for result in run.results],
        # Provenance and shard let `gate merge` refuse reports of different
        # inputs or commits, and find missing or duplicated shards.
        "inputs": run.provenance.to_json() if run.provenance else None,
        "commit": run.provenance.commit if run.provenance else None,
        "shard": run.shard.to_json() if run.shard else None,
        "shards_merged": run.shards_merged,
    }


def write_json_report(run: RunResult, path: Path) -> None:
    """Write the report atomically."""
    write_report_data(report_to_json(run), path)


def write_report_data(data: Mapping[str, Any], path: Path) -> None:
    """Write a report already made plain data (by `report_to_json`, and added to) atomically."""
    write_atomic(path, orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
