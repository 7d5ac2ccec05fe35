"""A check over a bake's rounds: each limit is crossed at one more than it allows."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.checks import CheckSpec
from gate.results import CheckResult
from gate.smoke.settings import Limits
from gate.smoke.watch import Watch
from gate.status import Status
from gate.tally import Tally

CHECK = CheckSpec(
    id="gloss",
    kind="field_nonempty",
    action_item="INC-1#AI-4",
    description="",
    suites=("smoke",),
    blocking=True,
    corpora=("smoke",),
    select=None,
    max_error_rate=0.0,
    params={"field": "spanish"},
    path=Path("checks/gloss.yaml"),
    line=1,
    action_item_line=3,
)
CODES = {"P": Status.PASS, "F": Status.FAIL, "E": Status.ERROR}


def _watch(rounds: str, limits: Limits) -> tuple[Watch, list[tuple[str, int]]]:
    watch = Watch(CHECK, limits, decides=True)
    crossed = []
    for number, code in enumerate(rounds, start=1):
        tally = Tally(total=10, passed=10 if code == "P" else 0, failed=10 if code == "F" else 0)
        tally.errored = 10 if code == "E" else 0
        result = CheckResult(
            CHECK, CODES[code], measured=0.0, message=f"round {number}", tally=tally
        )
        crossed += [(c.limit, c.round) for c in watch.observe(number, result)]
    return watch, crossed


@pytest.mark.parametrize(
    ("rounds", "limits", "crossed"),
    [
        ("PFPPPPPPPP", Limits(failure_limit=1), []),
        ("PFPPFPPPPP", Limits(failure_limit=1), [("failure_limit", 5)]),
        ("F", Limits(failure_limit=0), [("failure_limit", 1)]),
        ("PFFPFFPP", Limits(failure_limit=4, consecutive_failure_limit=2), []),
        (
            "PFFFP",
            Limits(failure_limit=4, consecutive_failure_limit=2),
            [("consecutive_failure_limit", 4)],
        ),
        ("EEEEPEEEE", Limits(consecutive_error_limit=4), []),
        ("PEEEEE", Limits(consecutive_error_limit=4), [("consecutive_error_limit", 6)]),
        ("FEF", Limits(failure_limit=1, consecutive_failure_limit=1), [("failure_limit", 3)]),
    ],
)
def test_limits_are_strict(rounds: str, limits: Limits, crossed: list[tuple[str, int]]) -> None:
    assert _watch(rounds, limits)[1] == crossed


def test_a_crossed_limit_is_reported_once() -> None:
    _, crossed = _watch("FFFF", Limits(failure_limit=0))
    assert crossed == [("failure_limit", 1)]


def test_the_final_word() -> None:
    watch, _ = _watch("PFP", Limits(failure_limit=1))
    result = watch.result(running=False, cut_short=None, min_judged=None)
    assert (result.status, result.measured) == (Status.PASS, 1)
    assert result.message == "no limit crossed in 3 rounds (1 failed)"
    assert result.limit == "failed rounds <= 1; unjudged in a row <= 4"
    assert result.tally == Tally(total=30, passed=20, failed=10)
    assert result.details["rounds"] == {"pass": 2, "fail": 1, "error": 0}


def test_one_round_is_said_in_the_singular() -> None:
    watch, _ = _watch("P", Limits())
    result = watch.result(running=False, cut_short=None, min_judged=None)
    assert result.message == "no limit crossed in 1 round (0 failed)"


def test_a_failed_check() -> None:
    watch, _ = _watch("PFFF", Limits(failure_limit=3, consecutive_failure_limit=1))
    result = watch.result(running=False, cut_short=None, min_judged=None)
    assert result.status is Status.FAIL
    assert (
        result.message
        == "2 failed rounds in a row, above consecutive_failure_limit 1 (round 3): round 4"
    )
    assert result.limit == "failed rounds <= 3, in a row <= 1; unjudged in a row <= 4"


def test_never_a_pass_while_running_or_cut_short() -> None:
    watch, _ = _watch("PP", Limits())
    running = watch.result(running=True, cut_short=None, min_judged=None)
    assert (running.status, running.message) == (
        Status.ERROR,
        "the bake is still running: no limit crossed in 2 rounds (0 failed) so far",
    )
    cut = watch.result(running=False, cut_short="SIGTERM after 2 of 5 rounds", min_judged=None)
    assert (cut.status, cut.message) == (
        Status.ERROR,
        "the bake was cut short (SIGTERM after 2 of 5 rounds): no limit crossed in 2 rounds "
        "(0 failed); it cannot pass",
    )


def test_too_few_judged_is_not_a_pass() -> None:
    watch, _ = _watch("EEEP", Limits())
    # By default a bake must judge as many items as its first round planned: 10 here.
    assert watch.result(running=False, cut_short=None, min_judged=None).status is Status.PASS
    result = watch.result(running=False, cut_short=None, min_judged=11)
    assert (result.status, result.message) == (
        Status.ERROR,
        "10 items judged over the bake; a pass needs at least 11 (min_judged)",
    )
    errors_only, _ = _watch("EE", Limits())
    result = errors_only.result(running=False, cut_short=None, min_judged=None)
    assert (result.status, result.message) == (
        Status.ERROR,
        "no round judged this check in 2 rounds",
    )


def test_a_check_that_does_not_decide_is_advisory() -> None:
    watch = Watch(CHECK, Limits(), decides=False)
    result = watch.result(running=False, cut_short=None, min_judged=None)
    assert result.check.blocking is False
    assert result.details["dry_run"] is True
