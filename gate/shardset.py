"""The reports `gate merge` reads: loaded, validated, and proven to be the shards of one run."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from gate.errors import InputError, InputErrors, display_path
from gate.provenance import PARTS, Provenance
from gate.schema import packaged_schema, validate
from gate.shard import Shard

_FIX_ONE_RUN = "merge the shard reports of one run of one commit, nothing else"


@dataclass(frozen=True)
class ShardReport:
    """One shard's JSON report, validated: its shard, its provenance and its raw check entries."""

    path: Path
    data: Mapping[str, Any]
    shard: Shard
    provenance: Provenance

    @property
    def name(self) -> str:
        return display_path(self.path)

    @property
    def suite(self) -> str:
        return str(self.data["suite"])

    def entries(self) -> Iterator[Mapping[str, Any]]:
        yield from self.data["checks"]

    def entry(self, check_id: str) -> Mapping[str, Any] | None:
        return next((entry for entry in self.entries() if entry["id"] == check_id), None)


def load_report(path: Path) -> ShardReport:
    """Read one JSON report (to merge or compare); anything else is an InputError."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            path, "report not found", fix="pass the files written by gate run --report-json"
        ) from None
    except OSError as exc:
        raise InputError(path, f"report cannot be read: {exc.strerror}") from None
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(
            path,
            f"report is not valid JSON: {exc.msg}",
            line=exc.lineno,
            column=exc.colno,
            fix="pass the files written by gate run --report-json",
        ) from None
    if not isinstance(data, dict) or data.get("schema") != "gate-report/1":
        raise InputError(
            path,
            "is not a gate report: it has no 'schema: gate-report/1'",
            fix="pass the files written by gate run --report-json",
        )
    if "inputs" not in data:
        raise InputError(
            path,
            "report does not record the inputs it judged (an older gate wrote it), so it "
            "cannot be merged or compared safely",
            fix="run gate again with this version to write the report",
        )
    errors = validate(data, packaged_schema("report.schema.json"), path=path)
    if errors:
        raise InputErrors(errors)
    shard_data = data["shard"]
    try:
        shard = Shard.from_json(shard_data) if shard_data is not None else Shard(1, 1)
    except ValueError as exc:
        raise InputError(path, f"report has an impossible shard: {exc}") from None
    return ShardReport(path, data, shard, Provenance.from_json(data["inputs"], data["commit"]))


def _short(commit: str | None) -> str:
    return commit[:12] if commit else "an unknown commit"


def _manifest_version(report: ShardReport) -> str:
    manifest = report.data.get("manifest")
    return str(manifest.get("version")) if isinstance(manifest, dict) else "none"


def _differences(report: ShardReport, first: ShardReport) -> list[InputError]:
    errors: list[InputError] = []

    def differ(message: str) -> None:
        errors.append(InputError(report.path, message, fix=_FIX_ONE_RUN))

    if report.suite != first.suite:
        differ(f"is a report of suite '{report.suite}', but {first.name} is of '{first.suite}'")
    if report.shard.count != first.shard.count:
        differ(
            f"is shard {report.shard}, but {first.name} is shard {first.shard}: "
            "the shards of one run share their count"
        )
    if report.provenance.commit != first.provenance.commit:
        differ(
            f"was made at commit {_short(report.provenance.commit)}, "
            f"but {first.name} at {_short(first.provenance.commit)}"
        )
    for part, words in PARTS.items():
        if report.provenance.part(part) != first.provenance.part(part):
            extra = ""
            if part == "manifest":
                extra = f" ({_manifest_version(report)}, not {_manifest_version(first)})"
            differ(f"was made with {words} than {first.name}{extra}")
    return errors


def _coverage(reports: list[ShardReport]) -> list[InputError]:
    count = reports[0].shard.count
    errors: list[InputError] = []
    seen: dict[int, ShardReport] = {}
    for report in reports:
        first = seen.get(report.shard.index)
        if first is not None:
            errors.append(
                InputError(
                    report.path,
                    f"is shard {report.shard} again: {first.name} is that shard already",
                    fix="pass each shard's report once",
                )
            )
        else:
            seen[report.shard.index] = report
    missing = [f"{index}/{count}" for index in range(1, count + 1) if index not in seen]
    if missing:
        noun = "shard" if len(missing) == 1 else "shards"
        verb = "is" if len(missing) == 1 else "are"
        errors.append(
            InputError(
                None,
                f"{noun} {', '.join(missing)} {verb} missing: "
                f"{len(seen)} of {count} shards were given",
                fix="pass the report of every shard; re-run a shard job that wrote none",
            )
        )
    return errors


def load_shard_set(paths: list[Path]) -> list[ShardReport]:
    """Load the reports and prove they are every shard of one run, each exactly once.

    Every problem is raised at once as InputErrors, so one attempt shows them all.
    The reports come back in shard order.
    """
    errors: list[InputError] = []
    reports: list[ShardReport] = []
    for path in paths:
        try:
            reports.append(load_report(path))
        except InputErrors as many:
            errors.extend(many.errors)
        except InputError as one:
            errors.append(one)
    if errors:
        raise InputErrors(errors)
    if not reports:
        raise InputErrors([InputError(None, "no report was given", fix="pass the shard reports")])
    reports.sort(key=lambda report: report.shard)
    first = reports[0]
    for report in reports[1:]:
        errors.extend(_differences(report, first))
    if not errors:
        errors.extend(_coverage(reports))
    if errors:
        raise InputErrors(errors)
    return reports
