"""What a broken expectation says a check measured, against which limit."""

from __future__ import annotations

import pytest

from gate.project import load_project
from gate.proof.outcome import against
from gate.results import CheckResult
from gate.status import Status
from tests.conftest import REPO


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
