"""What a broken expectation says a check measured, against which limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.checks import CheckSpec
from gate.proof.outcome import against
from gate.results import CheckResult
from gate.status import Status
from tests.conftest import ACTION_ITEM


def _result(measured: float | int | None, limit: str | None) -> CheckResult:
    check = CheckSpec(
        id="c",
        kind="config_pin",
        action_item=ACTION_ITEM,
        description="",
        suites=("release",),
        blocking=True,
        corpora=(),
        select=None,
        max_error_rate=0.0,
        params={},
        path=Path("checks/c.yaml"),
        line=1,
        action_item_line=3,
    )
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
