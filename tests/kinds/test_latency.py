"""latency: percentiles and the slow share held to their limits exactly, at the boundary;
timeouts and unusable answers count as over every limit; errored answers bounded."""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from gate.corpus import CorpusItem
from gate.errors import InputErrors
from gate.kinds.base import Judgement
from gate.kinds.latency import Latency
from gate.status import Status
from gate.tally import Tally
from gate.targets.base import Timing
from tests.conftest import ProjectFactory

ITEM = CorpusItem("rg-1", "p", None, (), None, "regression", 1)


def _tally(kind: Latency, totals: Iterable[float | None], first_byte: float = 0.01) -> Tally:
    """A tally of answers taking `totals` seconds (None: timed out), judged by `kind`."""
    tally = Tally()
    for total in totals:
        timing = None if total is None else Timing(first_byte, total)
        verdict = kind.judge_timed(ITEM, None if total is None else {}, timing)
        tally.total += 1
        tally.passed += verdict.ok
        tally.failed += not verdict.ok
        for key, amount in (verdict.sums or {}).items():
            tally.sums[key] = tally.sums.get(key, 0) + amount
    return tally


def test_an_answer_at_exactly_slow_s_is_not_slow() -> None:
    kind = Latency({"slow_s": 2})
    assert kind.judge_timed(ITEM, {}, Timing(0.1, 2.0)).ok
    assert kind.judge_timed(ITEM, {}, Timing(0.1, 2.001)) == Judgement(
        False, "took 2.001 s, over 2 s", {"total_le_2.23872": 1, "first_byte_le_0.1": 1}
    )
    assert kind.judge_timed(ITEM, None, None) == Judgement(
        False, "timed out", {"total_le_inf": 1, "first_byte_le_inf": 1}
    )


@pytest.mark.parametrize(
    ("totals", "status", "p95"),
    [
        ([0.2] * 18 + [1.0, 3.0], Status.PASS, 1.0),  # the 19th of 20 at exactly the limit
        ([0.2] * 18 + [1.001, 3.0], Status.FAIL, 1.12202),
        ([0.2] * 19 + [None], Status.PASS, 0.223872),  # one timeout in 20 is the 5% p95 allows
        ([0.2] * 18 + [None, None], Status.FAIL, None),
    ],
)
def test_a_percentile_at_its_limit_passes_and_one_answer_more_fails(
    totals: list[float | None], status: Status, p95: float | None
) -> None:
    kind = Latency({"total": {"p95": 1.0}})
    measurement = kind.verdict(_tally(kind, totals))
    assert measurement.status is status
    assert measurement.details["total"]["p95"] == p95
    assert measurement.limit == "total p95 <= 1 s"


def test_the_message_names_every_percentile_and_the_broken_limits() -> None:
    kind = Latency({"total": {"p50": 0.3}, "first_byte": {"p99": 0.05}})
    measurement = kind.verdict(_tally(kind, [0.2] * 10 + [0.5] * 10, first_byte=0.1))
    assert (measurement.status, measurement.measured) == (Status.FAIL, 0.223872)
    assert measurement.message == (
        "total p50 0.224 s, p95 0.501 s, p99 0.501 s; "
        "first byte p50 0.1 s, p95 0.1 s, p99 0.1 s; first_byte p99 0.1 s over 0.05 s"
    )


@pytest.mark.parametrize(
    ("slow", "status", "tail"),
    [
        (1, Status.PASS, "1/100 slower than 2 s: 1.00% (95%: 0.2%..5.4%) within 1.00%"),
        (2, Status.FAIL, "2/100 slower than 2 s: 2.00% (95%: 0.6%..7.0%) above 1.00%"),
    ],
)
def test_the_slow_share_is_held_to_its_limit_with_its_interval(
    slow: int, status: Status, tail: str
) -> None:
    kind = Latency({"slow_s": 2, "max_slow_rate": 0.01})
    measurement = kind.verdict(_tally(kind, [0.5] * (100 - slow) + [None] * slow))
    assert measurement.status is status
    assert tail in measurement.message
    assert measurement.details["interval"]["method"] == "wilson"


def test_errored_answers_are_bounded_at_their_fastest_and_as_timed_out() -> None:
    kind = Latency({"total": {"p50": 1.0}})
    tally = _tally(kind, [0.5, 0.5, 2.0])
    tally.total += 2
    tally.errored = 2
    best = kind.verdict(kind.bound(tally, errored_passed=True))
    worst = kind.verdict(kind.bound(tally, errored_passed=False))
    assert (best.status, best.details["total"]["p50"]) == (Status.PASS, 0.501187)
    assert (worst.status, worst.details["total"]["p50"]) == (Status.FAIL, 2.23872)


def test_an_unusable_answer_counts_as_over_every_limit() -> None:
    assert Latency({"slow_s": 1}).unanswered(ITEM, "not JSON") == Judgement(
        False, "not JSON", {"total_le_inf": 1, "first_byte_le_inf": 1}
    )


@pytest.mark.parametrize(
    ("params", "message", "line"),
    [
        ("  max_slow_rate: 0.1\n  total: {p50: 1}\n", "params.max_slow_rate needs slow_s, the time "
         "past which an answer is slow", 7),
        ("  first_byte: {}\n", "'params.first_byte': {} should be non-empty", 7),
        ("  total: {p90: 1}\n", "unknown key 'p90' in params.total", 7),
    ],
)  # fmt: skip
def test_bad_params_are_named_with_their_line(
    project: ProjectFactory, params: str, message: str, line: int
) -> None:
    from gate.project import load_project

    project.corpus("regression", 2)
    project.write(
        "checks/fast.yaml",
        "id: fast\nkind: latency\naction_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-1\n"
        "suites: [release]\ncorpora: [regression]\nparams:\n" + params,
    )
    with pytest.raises(InputErrors) as caught:
        load_project(project.config)
    (error,) = caught.value.errors
    assert (error.message, error.line) == (message, line)


def test_recorded_answers_carry_no_timing_and_are_errored(
    project: ProjectFactory, chdir: object
) -> None:
    from tests.conftest import gate_cli

    project.gloss_run(total=3, empty=0)
    project.write(
        "checks/fast.yaml",
        "id: fast\nkind: latency\naction_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-1\n"
        "suites: [release]\ncorpora: [regression]\nparams: {total: {p95: 1}}\n",
    )
    code, output = gate_cli(project, chdir, "run")
    assert code == 3, output
    assert (
        "  fast: zero items were judged: 3 errored items (no_timing 3); the first, rg-0000: "
        "the target measured no time for this answer (a recorded file keeps none)"
    ) in output
