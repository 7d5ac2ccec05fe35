"""The composite action's scripts, run by bash as the runner runs them, on a real project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import REPO, ProjectFactory

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
BIN = Path(sys.executable).parent


def _step(step_id: str) -> dict[str, Any]:
    step: dict[str, Any] = next(s for s in ACTION["runs"]["steps"] if s.get("id") == step_id)
    return step


def _run(step_id: str, cwd: Path, runner_temp: Path, **inputs: str) -> tuple[int, str, str]:
    """Run one step's script with its inputs in env, as GitHub would; returns exit, output, log."""
    values = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
    values.update({name.replace("_", "-"): value for name, value in inputs.items()})
    env = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    for name, expression in _step(step_id).get("env", {}).items():
        # Only `${{ inputs.NAME }}` reaches a script; other expressions are set below.
        if expression.startswith("${{ inputs."):
            env[name] = values[expression.removeprefix("${{ inputs.").removesuffix(" }}")]
    outputs = runner_temp / f"{step_id}-output.txt"
    outputs.unlink(missing_ok=True)  # a file of its own per step, as the runner gives
    env.update(
        GITHUB_ACTIONS="true",
        GITHUB_OUTPUT=str(outputs),
        GITHUB_STEP_SUMMARY=str(runner_temp / "summary.md"),
        GITHUB_WORKSPACE=str(cwd),
        RUNNER_TEMP=str(runner_temp),
        GATE_PYTHON=sys.executable,
    )
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", _step(step_id)["run"]],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    written = outputs.read_text(encoding="utf-8") if outputs.exists() else ""
    return done.returncode, written, done.stdout + done.stderr


def _runner_temp(tmp_path: Path) -> Path:
    # The install step's venv, stood in for by the one running these tests.
    venv = tmp_path / "runner" / "gate-venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "gate").symlink_to(BIN / "gate")
    return tmp_path / "runner"


def test_the_service_python_is_the_callers(tmp_path: Path) -> None:
    temp = tmp_path / "runner"
    temp.mkdir()
    code, outputs, _ = _run("service-python", tmp_path, temp)
    found = subprocess.run(
        ["python3", "-c", "import sys; print(sys.executable)"], capture_output=True, text=True
    )
    assert (code, outputs) == (0, f"path={found.stdout.strip()}\n")
    code, outputs, log = _run("service-python", tmp_path, temp, python="no-such-python")
    assert (code, outputs) == (2, "")
    assert log == (
        "::error title=gate::no Python 'no-such-python' on PATH: set up your service's Python "
        "before this step, or give python:\n"
    )


def test_a_shard_passes_its_step_and_the_merge_gives_the_verdict(
    project: ProjectFactory, tmp_path: Path
) -> None:
    project.gloss_run(total=100, empty=30)
    temp = _runner_temp(tmp_path)
    code, outputs, _ = _run("gate", project.root, temp)
    assert (code, outputs) == (1, "verdict=fail\nreport=gate-reports/gate-release.json\n")
    for shard in ("1/2", "2/2"):
        code, outputs, log = _run("gate", project.root, temp, shard=shard)
        # A shard's own verdict is partial: its step passes, its output says what it saw.
        assert code == 0, log
        assert outputs.startswith("verdict=")
    shards = sorted(path.name for path in (project.root / "gate-reports").glob("*shard*.json"))
    assert shards == ["gate-release-shard-1-of-2.json", "gate-release-shard-2-of-2.json"]
    code, outputs, _ = _run(
        "gate", project.root, temp, merge="gate-reports/gate-release-shard-*.json"
    )
    assert (code, outputs) == (1, "verdict=fail\nreport=gate-reports/gate.json\n")
