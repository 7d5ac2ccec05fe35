"""The workflows and the composite action: secure by zizmor, well-formed by GitHub's schemas."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTION = REPO / "action.yml"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def _tool(name: str, *args: str | Path, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / name), *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def _load(path: Path) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # YAML 1.1 reads a bare `on` key as true.
    triggers = workflow.get("on", workflow.get(True))
    return triggers if isinstance(triggers, dict) else {str(triggers): None}


def _steps(document: dict[Any, Any]) -> list[dict[str, Any]]:
    if "runs" in document:
        steps: list[dict[str, Any]] = document["runs"]["steps"]
        return steps
    return [step for job in document["jobs"].values() for step in job.get("steps", [])]


def test_the_three_workflows_exist() -> None:
    assert [path.name for path in WORKFLOWS] == ["bake-smoke.yml", "ci.yml", "release-gate.yml"]


def test_zizmor_finds_nothing_even_pedantic() -> None:
    # --offline: the audits that would ask GitHub's API are left out, so the
    # result never depends on the network.
    done = _tool(
        "zizmor", "--offline", "--no-progress", "--persona", "pedantic", ACTION, *WORKFLOWS
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout


def test_zizmor_does_report_a_bad_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: bad\non: push\npermissions: {}\njobs:\n  a:\n    name: a\n"
        "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n",
        encoding="utf-8",
    )
    done = _tool("zizmor", "--offline", "--no-progress", bad, cwd=tmp_path)
    assert done.returncode != 0
    assert "unpinned-uses" in done.stdout and "artipacked" in done.stdout


@pytest.mark.parametrize(
    ("schema", "paths"),
    [("vendor.github-workflows", WORKFLOWS), ("vendor.github-actions", [ACTION])],
)
def test_github_schemas_accept_them(schema: str, paths: list[Path]) -> None:
    done = _tool("check-jsonschema", "--builtin-schema", schema, *paths)
    assert done.returncode == 0, done.stdout + done.stderr


def test_github_schema_refuses_a_malformed_workflow(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text("name: bad\non: push\njobs:\n  a:\n    runs-on: [1, 2]\n", encoding="utf-8")
    done = _tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", bad)
    assert done.returncode != 0


@pytest.mark.parametrize("path", [*WORKFLOWS, ACTION], ids=lambda path: path.name)
def test_hardened(path: Path) -> None:
    document = _load(path)
    text = path.read_text(encoding="utf-8")
    for step in _steps(document):
        uses = step.get("uses")
        if uses is None:
            continue
        assert PINNED.match(uses), f"{uses} is not pinned by a full commit sha"
        assert re.search(rf"{re.escape(uses)} # v\d+\.\d+\.\d+$", text, re.MULTILINE)
        if uses.startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
    if path != ACTION:
        assert document["permissions"] == {}
        assert "pull_request_target" not in _triggers(document)
        for job in document["jobs"].values():
            assert set(job.get("permissions", {}).values()) <= {"read"}


def _run_blocks(document: dict[Any, Any]) -> list[str]:
    return [step["run"] for step in _steps(document) if "run" in step]


@pytest.mark.parametrize("path", [*WORKFLOWS, ACTION], ids=lambda path: path.name)
def test_scripts_parse_and_take_values_only_through_env(path: Path) -> None:
    for script in _run_blocks(_load(path)):
        assert "${{" not in script, script
        done = subprocess.run(
            ["bash", "-n"], input=script, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr


def _readme_workflow() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## GitHub Actions\n", 1)[1]
    blocks = re.findall(r"^```yaml\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    return next(block for block in blocks if block.startswith("name: "))


def test_the_readme_example_workflow_passes_both_tools(tmp_path: Path) -> None:
    example = tmp_path / "release-gate.yml"
    example.write_text(_readme_workflow(), encoding="utf-8")
    done = _tool("zizmor", "--offline", "--no-progress", "--persona", "pedantic", example)
    assert done.returncode == 0, done.stdout + done.stderr
    done = _tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", example)
    assert done.returncode == 0, done.stdout + done.stderr
    uses = [step["with"] for step in _steps(_load(example)) if "gate@" in step.get("uses", "")]
    assert set().union(*uses) <= set(_load(ACTION)["inputs"])


def test_release_gate_shape() -> None:
    workflow = _load(REPO / ".github" / "workflows" / "release-gate.yml")
    triggers = _triggers(workflow)
    assert triggers["release"] == {"types": ["published"]}
    assert triggers["push"] == {"tags": ["v*"]}
    assert "manifest" in triggers["workflow_dispatch"]["inputs"]
    jobs = workflow["jobs"]
    assert list(jobs) == ["validate", "shard", "merge", "verdict"]
    assert jobs["shard"]["strategy"]["fail-fast"] is False
    assert jobs["shard"]["needs"] == "validate"
    names = [step.get("with", {}).get("name") for step in jobs["shard"]["steps"]]
    assert "gate-shard-${{ matrix.shard }}-of-${{ needs.validate.outputs.count }}" in names
    assert jobs["verdict"]["if"] == "${{ always() }}"
    assert jobs["verdict"]["needs"] == "merge"


def test_bake_smoke_triggers_and_rollback() -> None:
    workflow = _load(REPO / ".github" / "workflows" / "bake-smoke.yml")
    triggers = _triggers(workflow)
    assert {"deployment_status", "workflow_call"} <= set(triggers)
    steps = workflow["jobs"]["smoke"]["steps"]
    rollback = next(step for step in steps if step.get("name") == "Roll back")
    assert rollback["if"] == "${{ failure() && steps.smoke.outputs.exit == '1' }}"
    smoke = next(step for step in steps if step.get("id") == "smoke")
    assert "gate smoke --target-url" in smoke["run"]


def test_the_action_takes_the_documented_inputs() -> None:
    action = _load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert {"config", "suite", "manifest", "shard", "target-url"} <= set(action["inputs"])
    assert set(action["outputs"]) == {"verdict", "report"}


def test_every_push_and_pull_request_proves_the_known_releases() -> None:
    workflow = _load(REPO / ".github" / "workflows" / "ci.yml")
    assert {"push", "pull_request"} <= set(_triggers(workflow))
    runs = [step.get("run", "") for step in workflow["jobs"]["prove"]["steps"]]
    assert "gate prove --report-json gate-proof.json" in runs
    assert 'gate trace --strict --base "$BASE_SHA" --proof gate-proof.json' in runs
