"""What a broken expectation says a check measured, against which limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.checks import CheckSpec
from gate.project import load_project
from gate.proof.known import Expected, KnownRelease
from gate.proof.outcome import Mark, against, prove_release
from gate.results import CheckResult, RunResult
from gate.status import Status
from gate.tally import Tally
from tests.conftest import INCIDENT, REPO


def _result(measured: float | int | None, limit: str | None) -> CheckResult:
    check = load_project(REPO / "gate.yaml", read_corpora=False).checks[0]
    return CheckResult(check, Status.PASS, measured=measured, limit=limit)


@pytest.mark.parametrize(
    ("measured", "limit", "text"),
    [
        (0.284, "<= 50.00%", "now 28.40% against a limit of 50.00%"),
        (0.9406, ">= 0.92", "now 0.9406 against a limit of 0.92"),
        (32, ">= 24, drop <= 4x", "now 32 against a limit of >= 24, drop <= 4x"),
        (None, None, "now - against a limit of none"),
    ],
)
def test_the_measured_value_against_its_limit(
    measured: float | int | None, limit: str | None, text: str
) -> None:
    assert against(_result(measured, limit)) == text


def _run(status: Status, tally: Tally) -> tuple[RunResult, dict[str, CheckSpec]]:
    project = load_project(REPO / "gate.yaml", read_corpora=False)
    check = project.check("spanish-gloss-nonempty")
    result = CheckResult(check, status, measured=0.284, limit="<= 2.00%", tally=tally)
    run = RunResult("release", (result,), {}, None, "t0", "t1", 1.0)
    return run, {check.id: check}


def _known(bad: bool) -> KnownRelease:
    expected = (Expected("spanish-gloss-nonempty", 1),) if bad else ()
    return KnownRelease(
        INCIDENT, Path("x.releases.yaml"), 1, bad, "v2.4.0.jsonl", None, None, None, expected
    )


@pytest.mark.parametrize("bad", [True, False])
def test_a_run_that_lost_items_proves_nothing_either_way(bad: bool) -> None:
    # 338 planned, 300 accounted for: whatever its verdict, the run cannot be trusted.
    lost = Tally(total=338, passed=204, failed=96, errored=0)
    run, checks = _run(Status.FAIL, lost)
    proof = prove_release(_known(bad), run, checks)
    assert proof.mark is Mark.UNJUDGED
    whole = Tally(total=338, passed=242, failed=96, errored=0)
    run, checks = _run(Status.FAIL, whole)
    assert prove_release(_known(bad), run, checks).mark is (Mark.PROVEN if bad else Mark.BROKEN)
