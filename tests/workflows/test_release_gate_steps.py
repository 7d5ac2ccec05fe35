"""The release gate's own decisions, run as GitHub runs them: each step's script in bash.

Only the job that gets a pass from its merge job may clear a release, and only a
tag's own manifest may publish it; a lint cannot tell these rules from their
opposites, so the scripts run here with the values GitHub would give them.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import REPO

WORKFLOW = yaml.safe_load((REPO / ".github" / "workflows" / "release-gate.yml").read_text())


def _step(job: str, name_start: str) -> dict[str, Any]:
    steps = WORKFLOW["jobs"][job]["steps"]
    return next(step for step in steps if step.get("name", "").startswith(name_start))


def _run(step: dict[str, Any], tmp_path: Path, **env: str) -> tuple[int, dict[str, str], str]:
    """Run the step's script with `env`; returns its exit code, its outputs and its log."""
    assert set(env) == set(step.get("env", {})), "give every variable the step reads"
    outputs = tmp_path / "output.txt"
    outputs.write_text("")
    base = {key: value for key, value in os.environ.items() if not key.startswith("GITHUB_")}
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env={**base, **env, "GITHUB_OUTPUT": str(outputs), **WORKFLOW["env"]},
        capture_output=True,
        text=True,
        timeout=30,
    )
    written = dict(line.split("=", 1) for line in outputs.read_text().splitlines())
    return done.returncode, written, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("merge", "verdict", "decided"),
    [
        ("success", "pass", "pass"),
        ("success", "fail", "fail"),
        ("success", "error", "error"),
        ("success", "", "error"),  # a merge that wrote no verdict judged nothing
        ("success", "PASS", "error"),
        ("failure", "pass", "error"),  # a pass from a merge job that did not succeed
        ("failure", "", "error"),
        ("failure", "fail", "fail"),
        ("cancelled", "", "error"),
        ("skipped", "", "error"),
    ],
)
def test_only_a_pass_from_a_merge_job_that_succeeded_clears_the_release(
    tmp_path: Path, merge: str, verdict: str, decided: str
) -> None:
    decide = _step("verdict", "Take the merged verdict")
    code, outputs, log = _run(decide, tmp_path, MERGE_RESULT=merge, VERDICT=verdict)
    assert (code, outputs, log) == (
        0,
        {"verdict": decided},
        f"merge job: {merge}; verdict: {decided}\n",
    )
    cleared = _step("verdict", "Pass only when")
    code, _, log = _run(cleared, tmp_path, VERDICT=decided)
    if decided == "pass":
        assert (code, log) == (0, "")
    else:
        assert (code, log) == (
            1,
            f"::error title=release gate::the release is not cleared: {decided} (see the merge "
            "job's summary)\n",
        )


PLAN = _step("validate", "Choose the release manifest")


def _plan(tmp_path: Path, event: str, ref_type: str, ref_name: str, manifest: str = "",
          publish: str = "") -> tuple[int, dict[str, str], str]:  # fmt: skip
    return _run(
        PLAN,
        tmp_path,
        EVENT_NAME=event,
        INPUT_MANIFEST=manifest,
        INPUT_PUBLISH=publish,
        REF_TYPE=ref_type,
        REF_NAME=ref_name,
    )


def test_a_tag_push_judges_and_publishes_the_tag_s_own_manifest(tmp_path: Path) -> None:
    assert _plan(tmp_path, "push", "tag", "v2.4.0") == (
        0,
        {
            "manifest": "releases/v2.4.0.yaml",
            "count": "4",
            "shards": "[1,2,3,4]",
            "publish": "true",
        },
        "",
    )


def test_a_manual_run_publishes_only_when_asked(tmp_path: Path) -> None:
    code, outputs, _ = _plan(
        tmp_path, "workflow_dispatch", "branch", "main", "releases/v2.4.0.yaml", "false"
    )
    assert (code, outputs["publish"]) == (0, "false")


@pytest.mark.parametrize(
    ("event", "ref_type", "ref_name", "manifest", "publish", "error"),
    [
        ("workflow_dispatch", "branch", "main", "releases/v2.4.0.yaml", "true",
         "only the tag's own manifest, releases/main.yaml, can publish its release"),
        ("workflow_dispatch", "tag", "v2.4.0", "releases/v2.3.4.yaml", "true",
         "only the tag's own manifest, releases/v2.4.0.yaml, can publish its release"),
        ("workflow_dispatch", "branch", "main", "", "false",
         "not on a tag: give the manifest to judge"),
        ("workflow_dispatch", "branch", "main", "releases/../gate.yaml", "false",
         "the manifest must be releases/<version>.yaml"),
        ("push", "tag", "v2.4.0;rm", "", "",
         "the manifest must be releases/<version>.yaml"),
    ],
)  # fmt: skip
def test_a_run_that_could_publish_the_wrong_release_stops_with_exit_2(
    tmp_path: Path,
    event: str,
    ref_type: str,
    ref_name: str,
    manifest: str,
    publish: str,
    error: str,
) -> None:
    code, outputs, log = _plan(tmp_path, event, ref_type, ref_name, manifest, publish)
    assert (code, outputs, log) == (2, {}, f"::error title=release gate::{error}\n")
