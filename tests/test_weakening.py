"""A weakened check in a diff is called out against the base revision."""

from __future__ import annotations

import json
import subprocess

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.status import ExitCode
from gate.weakening import Weakening, compare
from tests.conftest import INCIDENT, ProjectFactory

REF = f"{INCIDENT}#AI-4"


def _git(project: ProjectFactory, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args],
        cwd=project.root,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def committed(project: ProjectFactory) -> ProjectFactory:
    project.gloss_run(total=5, empty=0)
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-q", "-m", "base")
    return project


def _weakened(project: ProjectFactory, chdir: object) -> tuple[int, list[dict[str, str]]]:
    chdir(project.root)  # type: ignore[operator]
    result = CliRunner().invoke(cli, ["trace", "--strict", "--base", "main", "--format", "json"])
    return result.exit_code, json.loads(result.output)["weakened"]


def _edit(project: ProjectFactory, old: str, new: str) -> None:
    path = project.root / "checks/spanish-gloss-nonempty.yaml"
    path.write_text(path.read_text().replace(old, new))


def test_a_raised_threshold_is_called_out(committed: ProjectFactory, chdir: object) -> None:
    _edit(committed, "max_failure_rate: 0.02", "max_failure_rate: 0.05")
    code, weakened = _weakened(committed, chdir)
    assert code == ExitCode.BLOCKED
    assert weakened == [
        {
            "check": "spanish-gloss-nonempty",
            "action_item": REF,
            "what": "params.max_failure_rate loosened from 0.02 to 0.05",
        }
    ]


def test_blocking_turned_off_is_called_out(committed: ProjectFactory, chdir: object) -> None:
    path = committed.root / "checks/spanish-gloss-nonempty.yaml"
    path.write_text(path.read_text() + "blocking: false\n")
    _, weakened = _weakened(committed, chdir)
    assert [w["what"] for w in weakened] == ["blocking turned off"]


def test_a_deleted_check_is_called_out(committed: ProjectFactory, chdir: object) -> None:
    (committed.root / "checks/spanish-gloss-nonempty.yaml").unlink()
    code, weakened = _weakened(committed, chdir)
    assert code == ExitCode.BLOCKED
    assert weakened == [
        {
            "check": "spanish-gloss-nonempty",
            "action_item": REF,
            "what": "deleted while its action item stands",
        }
    ]


def test_a_tightened_check_is_fine(committed: ProjectFactory, chdir: object) -> None:
    _edit(committed, "max_failure_rate: 0.02", "max_failure_rate: 0.01")
    _, weakened = _weakened(committed, chdir)
    assert weakened == []


def test_an_unknown_base_is_an_input_error(committed: ProjectFactory, chdir: object) -> None:
    chdir(committed.root)  # type: ignore[operator]
    result = CliRunner().invoke(cli, ["trace", "--base", "no-such-branch"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output.startswith("gate: git could not read the base revision: ")


def test_compare_rules() -> None:
    before = {
        "c": {
            "action_item": REF,
            "suites": ["release", "smoke"],
            "params": {"min_score": 0.92, "field": "spanish"},
        }
    }
    after = {"c": {"action_item": REF, "suites": ["release"], "params": {"min_score": 0.9}}}
    assert compare(before, after, {REF}) == [
        Weakening("c", REF, "no longer in suites smoke"),
        Weakening("c", REF, "params.min_score loosened from 0.92 to 0.9"),
    ]
    assert compare(before, after, set()) == []  # the action item itself is gone


def test_a_longer_duration_is_looser() -> None:
    before = {"alert": {"action_item": REF, "params": {"max_for": "5m"}}}
    after = {"alert": {"action_item": REF, "params": {"max_for": "1h"}}}
    assert compare(before, after, {REF}) == [
        Weakening("alert", REF, "params.max_for loosened from 5m to 1h")
    ]
    assert compare(after, before, {REF}) == []
