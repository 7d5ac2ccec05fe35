"""The tutor's incident stays caught: `gate prove` on the repository itself, and on copies
where a change lets the incident through. Every release is a real tutor on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.status import ExitCode
from tests.conftest import INCIDENT, REPO, copy_repository

FILE = f"postmortems/{INCIDENT}.releases.yaml"
VARIANTS = f"postmortems/{INCIDENT}"


def _prove(root: Path, *args: str) -> tuple[int, list[str], dict[str, Any]]:
    """`gate prove` in `root`, in process: (exit code, output lines, the JSON proof)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = CliRunner().invoke(cli, ["prove", "--report-json", "proof.json", *args])
    proof = json.loads((root / "proof.json").read_text())
    (root / "proof.json").unlink()
    return result.exit_code, result.output.splitlines(), proof


@pytest.fixture(scope="module")
def main_proof() -> Iterator[tuple[int, list[str], dict[str, Any]]]:
    yield _prove(REPO)


def test_every_release_of_the_incident_is_blocked_by_the_checks_expected(
    main_proof: tuple[int, list[str], dict[str, Any]],
) -> None:
    code, lines, proof = main_proof
    assert code == ExitCode.OK, "\n".join(lines)
    assert lines[:-1] == [
        f"{INCIDENT} ({FILE})",
        "  PROVEN    releases/v2.4.0.yaml: known bad, blocked by decode-budget-pin, "
        "spanish-gloss-nonempty, long-tail-gloss-nonempty; also by long-tail-answers, "
        "smoke-gloss-nonempty",
        f"  PROVEN    {VARIANTS}/budget-20.yaml: known bad, blocked by decode-budget-pin, "
        "spanish-gloss-nonempty, long-tail-gloss-nonempty, long-tail-answers, "
        "smoke-gloss-nonempty",
        f"  PROVEN    {VARIANTS}/stop-comma.yaml: known bad, blocked by long-tail-answers",
        f"  PROVEN    {VARIANTS}/stop-semicolon.yaml: known bad, blocked by long-tail-answers",
        f"  PROVEN    {VARIANTS}/spanish-label.yaml: known bad, blocked by long-tail-answers, "
        "eval-score",
        "  PROVEN    releases/v2.3.4.yaml: known good, ships",
        f"  PROVEN    {VARIANTS}/key-order.yaml: known good, ships",
    ]
    assert lines[-1].startswith(
        "PROVEN: every known-bad release is blocked by the checks expected and every "
        "known-good release ships (7 releases in "
    )
    # The budget-20 variant is judged after v2.4.1, its previous release, not after v2.4.0.
    assert [r["previous"] for r in proof["releases"]][1] == f"{VARIANTS}/v2.4.1.yaml"


def test_a_raised_gloss_limit_lets_the_incident_through(tmp_path: Path) -> None:
    root = copy_repository(tmp_path)
    check = root / "checks/spanish-gloss-nonempty.yaml"
    check.write_text(check.read_text().replace("max_failure_rate: 0.02", "max_failure_rate: 0.5"))
    code, lines, proof = _prove(root)
    assert code == ExitCode.BLOCKED
    assert proof["broken"] == [
        f"{INCIDENT}: releases/v2.4.0.yaml would no longer be blocked by spanish-gloss-nonempty "
        "(now 28.40% against a limit of 50.00%)",
        f"{INCIDENT}: {VARIANTS}/budget-20.yaml would no longer be blocked by "
        "spanish-gloss-nonempty (now 15.98% against a limit of 50.00%)",
    ]
    assert lines[-3:-1] == proof["broken"]
    assert lines[-1] == (
        "BROKEN: 2 of 7 known releases no longer get the verdict they are known for: "
        "a past incident could get through"
    )
    # The trace marks the item of that check broken, and --strict fails on it.
    (root / "proof.json").write_text(json.dumps(proof))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        trace = CliRunner().invoke(
            cli, ["trace", "--strict", "--proof", "proof.json", "--format", "json"]
        )
    assert trace.exit_code == ExitCode.BLOCKED
    data = json.loads(trace.output)
    marks = {item["ref"]: item["proof"] for item in data["items"] if item["in_scope"]}
    assert marks == {
        f"{INCIDENT}#AI-1": "proven",
        f"{INCIDENT}#AI-2": "proven",
        f"{INCIDENT}#AI-3": "unproven",
        f"{INCIDENT}#AI-4": "broken",
        f"{INCIDENT}#AI-5": "proven",
    }
    assert data["broken"] == proof["broken"]


def test_a_deleted_check_lets_the_recurrence_variants_through(tmp_path: Path) -> None:
    root = copy_repository(tmp_path)
    (root / "checks/long-tail-answers.yaml").unlink()
    code, lines, proof = _prove(root)
    assert code == ExitCode.BLOCKED
    gone = "long-tail-answers (there is no such check; did you mean long-tail-coverage?)"
    assert proof["broken"] == [
        f"{INCIDENT}: {VARIANTS}/budget-20.yaml would no longer be blocked by {gone}",
        f"{INCIDENT}: {VARIANTS}/stop-comma.yaml would no longer be blocked by {gone}",
        f"{INCIDENT}: {VARIANTS}/stop-comma.yaml would now ship: no blocking check fails",
        f"{INCIDENT}: {VARIANTS}/stop-semicolon.yaml would no longer be blocked by {gone}",
        f"{INCIDENT}: {VARIANTS}/stop-semicolon.yaml would now ship: no blocking check fails",
        f"{INCIDENT}: {VARIANTS}/spanish-label.yaml would no longer be blocked by {gone}",
    ]
    assert lines[0] == (
        f"gate: warning: {FILE}:18: {VARIANTS}/budget-20.yaml is expected to be blocked by "
        "long-tail-answers, which is no check; did you mean long-tail-coverage?"
    )
    assert lines[-1].startswith("BROKEN: 4 of 7 known releases")
