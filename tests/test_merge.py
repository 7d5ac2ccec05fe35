"""`gate merge`: shards add up to exactly the run one runner would have made."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

import orjson
import pytest

from gate.checks import CheckSpec
from gate.context import RunContext
from gate.errors import InputErrors
from gate.kinds.base import Measurement, StaticKind
from gate.merge import merge_reports
from gate.project import Project, load_project
from gate.registry import Registry, kind
from gate.reports.json_report import check_to_json, write_json_report
from gate.results import CheckResult, RunResult
from gate.runner import build_target, run_suite
from gate.shard import Shard
from gate.shardset import load_shard_set
from gate.status import Status
from tests.conftest import ProjectFactory, write_jsonl

ACTION_ITEM = "INC-2026-08-14-tutor-spanish-gloss-missing#AI-4"


@kind
class ManifestVersion(StaticKind):
    """The candidate manifest names a version (a static check for these tests).

    Params: none.
    """

    name = "manifest_version"
    params_schema: ClassVar[Mapping[str, Any]] = {"type": "object", "additionalProperties": False}

    def evaluate(self, context: RunContext) -> Measurement:
        version = context.manifest.version if context.manifest else None
        return Measurement(Status.PASS, version, "a version", f"the candidate is {version}")


def _check(name: str, kind_name: str, params: str, extra: str = "") -> str:
    return (
        f"id: {name}\nkind: {kind_name}\naction_item: {ACTION_ITEM}\nsuites: [release]\n"
        f"{extra}params:\n{params}"
    )


def _build(project: ProjectFactory) -> None:
    """Two corpora and checks that pass, fail and error once summed, whatever the shards say."""
    regression = project.corpus("regression", 400)
    long_tail = [f"lt-{index:04d}" for index in range(200)]
    write_jsonl(
        project.root / "corpora" / "long-tail.jsonl",
        (
            {"id": ident, "prompt": f"p {ident}", "tags": ["long"] if n % 3 else []}
            for n, ident in enumerate(long_tail)
        ),
    )
    answers: dict[str, Mapping[str, Any]] = {}
    for n, ident in enumerate(regression):
        # 8 of 400 without a gloss is exactly the 2% limit: the whole passes,
        # while shards that drew more than their share fail on their own.
        answers[ident] = {
            "english": "" if n % 80 == 7 else "Fine.",
            "spanish": "" if n % 50 == 3 else "Bien.",
        }
    for n, ident in enumerate(long_tail):
        if n % 70 != 11:  # three items have no recorded answer: errored
            answers[ident] = {"english": "Fine.", "spanish": "Bien." if n % 9 else ""}
    project.recorded(answers)
    write = project.write
    write(
        "checks/gloss-regression.yaml",
        _check(
            "gloss-regression",
            "field_nonempty",
            "  field: spanish\n  max_failure_rate: 0.02\n",
            "corpora: [regression]\n",
        ),
    )
    write(
        "checks/english-regression.yaml",
        _check(
            "english-regression",
            "field_nonempty",
            "  field: english\n  max_failure_rate: 0.01\n",
            "corpora: [regression]\n",
        ),
    )
    write(
        "checks/gloss-long-tail.yaml",
        _check(
            "gloss-long-tail",
            "field_nonempty",
            "  field: spanish\n  max_failure_rate: 0.2\n",
            "corpora: [long-tail]\n",
        ),
    )
    write(
        "checks/shape-long.yaml",
        _check(
            "shape-long",
            "json_schema",
            # Two errored items (within max_error_rate) could not break 5% if they had failed.
            "  max_failure_rate: 0.05\n  schema: {type: object, required: [english, spanish]}\n",
            "corpora: [long-tail]\nselect: {tags: [long]}\nmax_error_rate: 0.05\n",
        ),
    )
    write(
        "checks/smoke-only.yaml",
        _check(
            "smoke-only", "field_nonempty", "  field: spanish\n", "corpora: [regression]\n"
        ).replace("[release]", "[smoke]"),
    )


def _with_static(project: Project) -> Project:
    static = CheckSpec(
        id="manifest-version",
        kind="manifest_version",
        action_item=ACTION_ITEM,
        description="",
        suites=("release",),
        blocking=True,
        corpora=(),
        select=None,
        max_error_rate=0.0,
        params={},
        path=project.config.checks_dir / "manifest-version.yaml",
        line=1,
        action_item_line=1,
    )
    registry = Registry({**project.registry.kinds, "manifest_version": ManifestVersion})
    return dataclasses.replace(project, registry=registry, checks=(*project.checks, static))


@pytest.fixture
def tutor(project: ProjectFactory) -> Project:
    _build(project)
    return _with_static(load_project(project.config))


def _run(project: Project, shard: Shard | None = None) -> RunResult:
    return run_suite(project, "release", target=build_target(project), shard=shard)


def _shard_reports(project: Project, count: int, folder: Path) -> list[Path]:
    paths = []
    for index in range(1, count + 1):
        path = folder / f"shard-{index}-of-{count}.json"
        write_json_report(_run(project, Shard(index, count)), path)
        paths.append(path)
    return paths


def _comparable(result: RunResult) -> list[dict[str, Any]]:
    entries = [check_to_json(check, result) for check in result.results]
    for entry in entries:
        del entry["duration_s"]
    return entries


def _status_in(path: Path, check_id: str) -> str:
    data = orjson.loads(path.read_bytes())
    return str(next(entry["status"] for entry in data["checks"] if entry["id"] == check_id))


def test_merge_of_n_shards_equals_the_unsharded_run(tutor: Project, tmp_path: Path) -> None:
    whole = _run(tutor)
    statuses = {result.check.id: result.status for result in whole.results}
    assert statuses == {
        "english-regression": Status.FAIL,
        "gloss-long-tail": Status.ERROR,
        "gloss-regression": Status.PASS,
        "shape-long": Status.PASS,
        "manifest-version": Status.PASS,
        "smoke-only": Status.SKIPPED,
    }
    straddled = 0
    for count in range(1, 9):
        paths = _shard_reports(tutor, count, tmp_path / str(count))
        merged = merge_reports(tutor, load_shard_set(paths[::-1]))
        assert _comparable(merged) == _comparable(whole), f"{count} shards"
        assert (merged.exit_code, merged.counts()) == (whole.exit_code, whole.counts())
        assert merged.shards_merged == count
        alone = {_status_in(path, "gloss-regression") for path in paths}
        straddled += "fail" in alone
    # The proof holds only if some shards, judged alone, fell on the wrong side.
    assert straddled >= 3


def test_static_checks_are_judged_in_shard_1_only(tutor: Project) -> None:
    first = _run(tutor, Shard(1, 3))
    others = [_run(tutor, Shard(index, 3)) for index in (2, 3)]
    assert _result(first, "manifest-version").status is Status.PASS
    for other in others:
        skipped = _result(other, "manifest-version")
        assert (skipped.status, skipped.message) == (Status.SKIPPED, "judged in shard 1/3")


def _result(run: RunResult, check_id: str) -> CheckResult:
    return next(result for result in run.results if result.check.id == check_id)


def test_a_check_that_crashed_in_one_shard_stays_an_error(tutor: Project, tmp_path: Path) -> None:
    paths = _shard_reports(tutor, 2, tmp_path)
    data = orjson.loads(paths[1].read_bytes())
    entry = next(e for e in data["checks"] if e["id"] == "gloss-regression")
    entry.update(status="error", crashed=True, message="kind 'field_nonempty' raised on item x")
    paths[1].write_bytes(orjson.dumps(data))
    merged = _result(merge_reports(tutor, load_shard_set(paths)), "gloss-regression")
    assert (merged.status, merged.message, merged.crashed) == (
        Status.ERROR,
        "shard 2/2: kind 'field_nonempty' raised on item x",
        True,
    )


def _refused(paths: list[Path]) -> str:
    with pytest.raises(InputErrors) as caught:
        load_shard_set(paths)
    return str(caught.value)


def test_reports_of_another_manifest_are_refused(
    tutor: Project, project: ProjectFactory, tmp_path: Path, chdir: Any
) -> None:
    chdir(tmp_path)
    first = _shard_reports(tutor, 2, Path("a"))[0]
    project.write("releases/v2.4.0.yaml", 'version: "2.4.0"\nmax_decode_tokens: 16\n')
    other = _with_static(
        load_project(project.config, manifest=project.root / "releases/v2.4.0.yaml")
    )
    second = _shard_reports(other, 2, Path("b"))[1]
    assert _refused([first, second]) == (
        "b/shard-2-of-2.json: was made with another release manifest than a/shard-1-of-2.json "
        "(2.4.0, not 2.3.4)\n"
        "  fix: merge the shard reports of one run of one commit, nothing else\n"
        "1 problem in the gate's input; nothing was run."
    )


def test_reports_of_another_commit_are_refused(
    tutor: Project, tmp_path: Path, chdir: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    chdir(tmp_path)
    monkeypatch.setenv("GITHUB_SHA", "1111111111111111111111111111111111111111")
    first = _shard_reports(tutor, 2, Path("a"))[0]
    monkeypatch.setenv("GITHUB_SHA", "2222222222222222222222222222222222222222")
    second = _shard_reports(tutor, 2, Path("b"))[1]
    assert _refused([second, first]) == (
        "b/shard-2-of-2.json: was made at commit 222222222222, but a/shard-1-of-2.json at "
        "111111111111\n"
        "  fix: merge the shard reports of one run of one commit, nothing else\n"
        "1 problem in the gate's input; nothing was run."
    )


def test_merge_refuses_checks_changed_since_the_shards_ran(
    tutor: Project, project: ProjectFactory, tmp_path: Path, chdir: Any
) -> None:
    chdir(tmp_path)
    paths = _shard_reports(tutor, 2, Path("reports"))
    project.write(
        "checks/gloss-regression.yaml",
        _check(
            "gloss-regression",
            "field_nonempty",
            "  field: spanish\n  max_failure_rate: 0.05\n",
            "corpora: [regression]\n",
        ),
    )
    changed = _with_static(load_project(project.config))
    with pytest.raises(InputErrors) as caught:
        merge_reports(changed, load_shard_set(paths))
    assert str(caught.value) == (
        "checks: the check files differ from those reports/shard-1-of-2.json was made with\n"
        "  fix: run gate merge in a checkout of the commit the shards ran (unknown)\n"
        "1 problem in the gate's input; nothing was run."
    )
