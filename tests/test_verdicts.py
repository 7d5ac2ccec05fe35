"""decide_tally: the one rule every run, merge and smoke round decides a response check by."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from gate.checks import CheckSpec
from gate.corpus import CorpusItem
from gate.kinds.base import PASSED, Judgement, Measurement, ResponseKind
from gate.kinds.eval_score import PPM, EvalScore
from gate.kinds.field_nonempty import FieldNonempty
from gate.status import Status
from gate.tally import Tally
from gate.verdicts import decide_tally


def _check(max_error_rate: float = 0.0) -> CheckSpec:
    return CheckSpec(
        id="c",
        kind="k",
        action_item="INC-1#AI-1",
        description="",
        suites=("release",),
        blocking=True,
        corpora=("regression",),
        select=None,
        max_error_rate=max_error_rate,
        params={},
        path=Path("checks/c.yaml"),
        line=1,
        action_item_line=1,
    )


class AlwaysPasses(ResponseKind):
    """A kind whose verdict passes whatever it is given: only the runner's guards stop it."""

    name = "always_passes"
    params_schema: Mapping[str, Any] = {"type": "object"}

    def judge(self, item: CorpusItem, response: Mapping[str, Any]) -> Judgement:
        return PASSED

    def verdict(self, tally: Tally) -> Measurement:
        return Measurement(Status.PASS, 1.0, ">= 0", "passes")


def test_a_check_that_judged_nothing_is_an_error_whatever_its_kind_says() -> None:
    tally = Tally(total=3, errored=3, causes={"timeout": 3})
    measurement = decide_tally(_check(max_error_rate=1.0), AlwaysPasses({}), tally)
    assert (measurement.status, measurement.message) == (
        Status.ERROR,
        "zero items were judged: 3 errored items (timeout 3); see the samples",
    )


def test_nothing_planned_is_an_error() -> None:
    measurement = decide_tally(_check(), AlwaysPasses({}), Tally())
    assert (measurement.status, measurement.message) == (
        Status.ERROR,
        "no corpus item was planned for this check: nothing judged",
    )


def test_lost_answers_are_an_error() -> None:
    measurement = decide_tally(_check(), AlwaysPasses({}), Tally(total=5, passed=3))
    assert (measurement.status, measurement.message) == (
        Status.ERROR,
        "5 items planned but 3 accounted for: answers were lost",
    )


GLOSS = FieldNonempty({"field": "spanish", "max_failure_rate": 0.02})


@pytest.mark.parametrize(
    ("failed", "errored", "max_error_rate", "status"),
    [
        (18, 2, 0.0, Status.FAIL),  # 18/338 is over 2% whatever the two were
        (7, 1, 0.0, Status.FAIL),  # 7/338 = 2.07% alone
        (6, 1, 0.0, Status.ERROR),  # 6/338 within, 7/338 over: undecided
        (5, 1, 0.0, Status.ERROR),  # 6/338 even if it failed, but errors exceed 0%
        (5, 1, 0.01, Status.PASS),  # ... and within an error rate of 1%
        (6, 0, 0.0, Status.PASS),
    ],
)
def test_a_rate_is_decided_by_its_bounds(
    failed: int, errored: int, max_error_rate: float, status: Status
) -> None:
    tally = Tally(
        total=338,
        passed=338 - failed - errored,
        failed=failed,
        errored=errored,
        causes={"http_5xx": errored} if errored else {},
    )
    assert decide_tally(_check(max_error_rate), GLOSS, tally).status is status


def test_the_error_rate_message_shows_the_worst_bound() -> None:
    tally = Tally(total=338, passed=332, failed=5, errored=1, causes={"http_5xx": 1})
    measurement = decide_tally(_check(), GLOSS, tally)
    assert measurement.message == (
        "1 of 338 items could not be judged (http_5xx 1), more than max_error_rate 0.00%; "
        "see the samples"
    )
    assert measurement.details == {
        "bounds": {
            "if_errored_passed": pytest.approx(5 / 338),
            "if_errored_failed": pytest.approx(6 / 338),
        }
    }


SCORE = EvalScore({"min_score": 0.8, "axes": {"english": {"scorer": "exact"}}})


def _scored(passed: int, failed: int, errored: int, score: float) -> Tally:
    scored = passed + failed
    ppm = round(score * scored * PPM)
    return Tally(
        total=passed + failed + errored,
        passed=passed,
        failed=failed,
        errored=errored,
        sums={"scored": scored, "score_ppm": ppm, "axis.english_ppm": ppm},
        causes={"timeout": errored} if errored else {},
    )


def test_a_score_with_errored_items_is_bounded_by_their_best_and_worst_scores() -> None:
    # 8 items at 0.75 mean, 2 errored: 0.8 at best (both 1), 0.6 at worst (both 0).
    measurement = decide_tally(_check(), SCORE, _scored(6, 2, 2, 0.75))
    assert measurement.status is Status.ERROR
    assert measurement.details == {"bounds": {"if_errored_passed": 0.8, "if_errored_failed": 0.6}}
    assert measurement.message.startswith(
        "undecided: the 2 errored items (timeout 2) could tip it; counted as passed, "
        "mean score 0.8000 over 10 items, at or above 0.8"
    )


def test_a_score_too_low_even_at_best_fails() -> None:
    measurement = decide_tally(_check(), SCORE, _scored(4, 4, 2, 0.5))
    assert measurement.status is Status.FAIL
    assert measurement.measured == 0.6  # (8 x 0.5 + 2 x 1) / 10
    assert measurement.message.endswith(", even counting the 2 errored items (timeout 2) as passed")


def test_a_score_high_enough_even_at_worst_passes() -> None:
    measurement = decide_tally(_check(max_error_rate=0.1), SCORE, _scored(9, 0, 1, 1.0))
    assert (measurement.status, measurement.measured) == (Status.PASS, 0.9)


def test_an_unanswered_item_scores_nothing() -> None:
    item = CorpusItem("a", "prompt", {"english": "x"}, (), "curated", "c", 1)
    verdict = SCORE.unanswered(item, "HTTP 503")
    assert verdict == Judgement(
        False, "HTTP 503", {"scored": 1, "score_ppm": 0, "axis.english_ppm": 0}
    )
