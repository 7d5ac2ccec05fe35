"""Whether a corpus can catch twice its check's limit: exact binomial power, by the check's rule."""

from __future__ import annotations

from collections.abc import Callable
from math import comb

import pytest
from click.testing import CliRunner

import gate.power
from gate.cli import cli
from gate.intervals import wilson
from gate.power import items_needed, power
from tests.conftest import GLOSS_CHECK, ProjectFactory


def _at_least(count: int, total: int, rate: float = 0.04) -> float:
    """P(X >= count) for X ~ Binomial(total, rate), summed plainly."""
    return 1 - sum(comb(total, k) * rate**k * (1 - rate) ** (total - k) for k in range(count))


def _first(fails: Callable[[int], bool]) -> int:
    """The fewest failures of 338 that a rule fails on, found one by one."""
    return next(k for k in range(339) if fails(k))


@pytest.mark.parametrize(
    ("total", "decide", "chance"),
    [
        # 15 answers at 2%: the check fails on 1 failure; P(X >= 1 | 4%) = 1 - 0.96^15.
        (15, "point", 1 - 0.96**15),
        # 55 answers: it fails on 2; P(X >= 2 | 4%) = 1 - P(0) - P(1).
        (55, "point", 1 - 0.96**55 - 55 * 0.04 * 0.96**54),
        (338, "point", _at_least(7, 338)),  # 7/338 is the first share over 2%
        (100, "point", _at_least(3, 100)),  # 2/100 is at the limit, and passes
        (338, "lower", _at_least(_first(lambda k: wilson(k, 338)[0] > 0.02), 338)),
        (338, "upper", _at_least(_first(lambda k: wilson(k, 338)[1] > 0.02), 338)),
    ],
)
def test_power_under_the_check_s_own_rule(total: int, decide: str, chance: float) -> None:
    assert power(total, 0.02, decide) == pytest.approx(chance, abs=1e-9)


def test_the_fewest_items_for_80_percent() -> None:
    needed = items_needed(0.02)
    assert needed == 74
    assert power(needed, 0.02) >= 0.8 > power(needed - 1, 0.02)


FIFTEEN_ITEMS = (
    "gate: warning: checks/spanish-gloss-nonempty.yaml:1: spanish-gloss-nonempty: 15 items "
    "give 46% power to catch a failure rate of 4.00%, twice its limit of 2.00% (80% is the "
    "usual bar); 74 items would"
)


def test_validate_warns_about_a_corpus_too_small_and_an_upper_bound_no_data_can_meet(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=15, empty=0)
    project.write(
        "checks/strict.yaml",
        GLOSS_CHECK.replace("spanish-gloss-nonempty", "strict") + "decide: upper\n",
    )
    chdir(project.root)  # type: ignore[operator]
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert [line for line in result.stderr.splitlines() if ".yaml:" in line] == [
        FIFTEEN_ITEMS,
        "gate: warning: checks/strict.yaml:1: strict: with decide: upper, 15 items cannot pass "
        "even with no failure: the interval's upper bound is then 20.39%, over the limit of "
        "2.00%",
    ]


def test_validate_weighs_power_on_the_corpus_sizes_it_read_while_loading(
    project: ProjectFactory, chdir: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.gloss_run(total=15, empty=0)
    chdir(project.root)  # type: ignore[operator]

    def read_again(path: object) -> None:
        raise AssertionError(f"{path} was read a second time to count its items")

    monkeypatch.setattr(gate.power, "iter_corpus_blocks", read_again)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == 0, result.output
    assert [line for line in result.stderr.splitlines() if ".yaml:" in line] == [
        FIFTEEN_ITEMS,
    ]
