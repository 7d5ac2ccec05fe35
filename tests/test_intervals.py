"""95% intervals: Wilson for rates, t for means, and `decide` holding a bound to the limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.checks import CheckSpec
from gate.corpus import CorpusItem
from gate.intervals import Interval, mean_interval, t_quantile, wilson
from gate.kinds.base import Measurement
from gate.kinds.eval_score import EvalScore
from gate.kinds.field_nonempty import FieldNonempty
from gate.kinds.latency import Latency
from gate.status import Status
from gate.tally import Tally
from gate.targets.base import Timing
from gate.verdicts import decide_tally, held_to_decide

ITEM = CorpusItem("rg-1", "p", None, (), None, "regression", 1)
GLOSS = FieldNonempty({"field": "spanish", "max_failure_rate": 0.02})


def _check(decide: str = "point", max_error_rate: float = 0.0) -> CheckSpec:
    return CheckSpec(
        "gloss", "field_nonempty", "X#AI-4", "", ("release",), True, ("regression",), None,
        max_error_rate, {}, Path("gloss.yaml"), 1, 1, decide=decide,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("count", "total", "low", "high"),
    [
        (7, 338, 0.010, 0.042),  # the example, to the shown digit
        (0, 338, 0.0, 0.0112),
        (338, 338, 0.9888, 1.0),
        (1, 2, 0.0945, 0.9055),
        (0, 0, 0.0, 1.0),
    ],
)
def test_wilson_bounds(count: int, total: int, low: float, high: float) -> None:
    found = wilson(count, total)
    assert found == (pytest.approx(low, abs=5e-4), pytest.approx(high, abs=5e-4))


def test_t_quantiles_match_the_table_and_tend_to_the_normal() -> None:
    assert t_quantile(1) == 12.706
    assert t_quantile(30) == 2.042
    assert t_quantile(31) == pytest.approx(2.0395, abs=2e-4)
    assert t_quantile(120) == pytest.approx(1.9799, abs=2e-4)
    assert t_quantile(10**6) == pytest.approx(1.96, abs=1e-3)


def test_the_mean_interval_from_count_sum_and_squares() -> None:
    # Scores 0, 0.5 and 1: mean 0.5, s = 0.5, t(2) = 4.303: 0.5 +- 1.242, kept in 0..1.
    assert mean_interval(3, 1.5, 1.25) == (0.0, 1.0)
    low, high = mean_interval(100, 80.0, 64.0 + 99 * 0.01)  # s^2 = 0.01: half 0.0198
    assert (low, high) == (pytest.approx(0.7802, abs=1e-4), pytest.approx(0.8198, abs=1e-4))
    assert mean_interval(1, 0.5, 0.25) == (0.0, 1.0)  # one value says nothing of the spread


def test_an_interval_straddling_its_limit_is_not_settled() -> None:
    assert not Interval(0.0207, 0.010, 0.042, 0.02, "max", "share", 338).settled
    assert Interval(0.0533, 0.034, 0.083, 0.02, "max", "share", 338).settled
    assert Interval(0.94, 0.93, 0.95, 0.92, "min", "score", 12).settled


def test_no_failure_against_a_limit_of_zero_is_settled() -> None:
    # No number of items could show fewer than none: not worth a warning.
    assert Interval(0.0, 0.0, 0.011, 0.0, "max", "share", 338).settled
    assert Interval(1.0, 0.97, 1.0, 1.0, "min", "score", 55).settled
    assert not Interval(0.003, 0.0, 0.016, 0.0, "max", "share", 338).settled


@pytest.mark.parametrize(
    ("decide", "failed", "status", "tail"),
    [
        ("point", 6, Status.PASS, ""),
        ("upper", 6, Status.FAIL, "; decided on the interval's upper bound, 3.8%, above 2.00%"),
        ("lower", 7, Status.PASS, "; decided on the interval's lower bound, 1.0%, within 2.00%"),
        ("point", 7, Status.FAIL, ""),
        ("upper", 0, Status.PASS, "; decided on the interval's upper bound, 1.1%, within 2.00%"),
        ("lower", 18, Status.FAIL, "; decided on the interval's lower bound, 3.4%, above 2.00%"),
    ],
)
def test_decide_holds_a_bound_of_the_interval_to_the_limit(
    decide: str, failed: int, status: Status, tail: str
) -> None:
    tally = Tally(total=338, passed=338 - failed, failed=failed)
    measurement = decide_tally(_check(decide), GLOSS, tally)
    assert measurement.status is status
    assert measurement.message == GLOSS.verdict(tally).message + tail
    assert measurement.limit == (f"{decide} bound <= 2.00%" if tail else "<= 2.00%")


def test_decide_upper_with_errored_items_needs_the_worst_case_upper_bound_within() -> None:
    # 0 failed of 400, 2 errored: at worst 2/400 = 0.5%, upper bound 1.8%: within 2%.
    tally = Tally(total=400, passed=398, errored=2, causes={"timeout": 2})
    passing = decide_tally(_check("upper", max_error_rate=0.01), GLOSS, tally)
    assert passing.status is Status.PASS
    assert passing.message == (
        "2/400 with 'spanish' missing or blank: 0.50% (95%: 0.1%..1.8%) within 2.00%; decided "
        "on the interval's upper bound, 1.8%, within 2.00%, even counting the 2 errored items "
        "(timeout 2) as failed"
    )
    # 0 of 300 with 3 errored: at best 0/300 (upper 1.3%), at worst 3/300 (upper 2.9%): undecided.
    tally = Tally(total=300, passed=297, errored=3, causes={"timeout": 3})
    undecided = decide_tally(_check("upper", max_error_rate=0.01), GLOSS, tally)
    assert undecided.status is Status.ERROR
    assert undecided.message.startswith("undecided: the 3 errored items (timeout 3) could tip it")


def test_a_failure_on_another_limit_stays_a_failure_whatever_the_bound() -> None:
    kind = EvalScore(
        {
            "min_score": 0.5,
            "axes": {"a": {"scorer": "exact", "min_score": 0.9}, "b": {"scorer": "exact"}},
        }
    )
    sums = {
        "scored": 100,
        "score_ppm": 80 * 10**6,
        "score_sq": 80 * 10**6,
        "axis.a_ppm": 60 * 10**6,
        "axis.b_ppm": 100 * 10**6,
    }
    tally = Tally(total=100, passed=80, failed=20, sums=sums)
    measurement = decide_tally(_check("lower"), kind, tally)
    assert measurement.status is Status.FAIL
    assert "axis a 0.6000 is below its minimum 0.9" in measurement.message


def test_a_failure_on_another_limit_stays_a_failure_when_the_point_fails_too() -> None:
    # Mean 0.45 is below 0.5 and axis a below its 0.9; the interval's upper bound
    # (0.6889) is within 0.5, which alone would pass the check.
    kind = EvalScore({"min_score": 0.5, "axes": {"a": {"scorer": "exact", "min_score": 0.9}}})
    sums = {"scored": 20, "score_ppm": 9 * 10**6, "score_sq": 9 * 10**6, "axis.a_ppm": 9 * 10**6}
    measurement = decide_tally(_check("upper"), kind, Tally(20, 9, 11, sums=sums))
    assert (measurement.status, measurement.message) == (
        Status.FAIL,
        "mean score 0.4500 (95%: 0.2111..0.6889) over 20 items, below 0.5: 20 items cannot "
        "separate this from the limit, but axis a 0.4500 is below its minimum 0.9 (axes: a "
        "0.4500; items scoring below 0.5: 11); decided on the interval's upper bound, 0.6889, "
        "within 0.5",
    )


def test_a_latency_percentile_over_its_limit_stays_a_failure_whatever_the_bound() -> None:
    latency = Latency({"total": {"p50": 1}, "slow_s": 2, "max_slow_rate": 0.05})
    # p50 over its 1 s; 2 of 20 slower than 2 s, over 5% but not settled.
    tally = Tally()
    for total in [0.5] * 8 + [1.5] * 10 + [3.0] * 2:
        verdict = latency.judge_timed(ITEM, {}, Timing(0.01, total))
        tally.total += 1
        tally.passed += verdict.ok
        tally.failed += not verdict.ok
        for key, amount in (verdict.sums or {}).items():
            tally.sums[key] = tally.sums.get(key, 0) + amount
    measurement = decide_tally(_check("lower"), latency, tally)
    assert measurement.status is Status.FAIL
    assert measurement.message.endswith(
        "; decided on the interval's lower bound, 2.8%, within 5.00%"
    )
    assert "; total p50 1.58 s over 1 s;" in measurement.message


@pytest.mark.parametrize(
    ("interval", "problem"),
    [
        ({"value": 1}, "KeyError: 'low'"),
        ({**Interval(0.1, 0.0, 0.2, 0.05, "max", "share", 9).to_json(), "low": "x"}, None),
        ({**Interval(0.1, 0.0, 0.2, 0.05, "max", "share", 9).to_json(), "bound": "most"}, None),
    ],
)
def test_a_kind_s_interval_that_is_not_one_makes_its_check_an_error(
    interval: dict[str, object], problem: str | None
) -> None:
    held = held_to_decide(
        _check("upper"), Measurement(Status.PASS, 0.1, "<= 5%", "fine", {"interval": interval})
    )
    assert held.status is Status.ERROR
    assert held.message.startswith(
        "the kind's verdict returned a details.interval that is not an interval ("
    )
    if problem is not None:
        assert held.message.endswith(f"({problem})")


def test_decide_on_a_kind_without_an_interval_is_an_error() -> None:
    plain = Measurement(Status.PASS, 1.0, ">= 1", "fine")
    held = held_to_decide(_check("upper"), plain)
    assert (held.status, held.message) == (
        Status.ERROR,
        "decide: upper holds the 95% interval to the limit, and kind 'field_nonempty' reports "
        "no interval",
    )
    assert held_to_decide(_check(), plain) is plain
