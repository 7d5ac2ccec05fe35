"""Whether a check's corpus is big enough to catch a release that is clearly over its limit.

A rate check over too few items passes bad releases by luck: 15 answers at a
2% limit let a release with 4% empty glosses through more often than not.
`gate validate` warns when a check could catch a failure rate of twice its
limit with less than 80% power, computed exactly from the binomial
distribution under the rule the check really decides by (`decide`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from fractions import Fraction

from gate.checks import CheckSpec, Selector
from gate.corpus import iter_corpus_blocks
from gate.errors import display_path
from gate.intervals import wilson
from gate.kinds.base import ResponseKind
from gate.project import Project

POWER = 0.8
_MAX_ITEMS = 1_000_000  # beyond this a corpus is not "too small" for any sensible limit


def _fails(decide: str, limit: float) -> Callable[[int, int], bool]:
    """The check's own rule: does `failed` in `total` answers fail it?"""
    exact = Fraction(str(limit))
    if decide == "upper":
        return lambda failed, total: wilson(failed, total)[1] > limit
    if decide == "lower":
        return lambda failed, total: wilson(failed, total)[0] > limit
    return lambda failed, total: Fraction(failed, total) > exact


def power(total: int, limit: float, decide: str = "point") -> float:
    """The chance that `total` answers failing at twice `limit` make the check fail."""
    rate = 2 * limit
    if total <= 0 or not 0 < rate < 1:
        return 1.0 if rate >= 1 else 0.0
    fails = _fails(decide, limit)
    if not fails(total, total):
        return 0.0
    # The rule is monotone in the failures: find the fewest that fail the check.
    low, high = 0, total
    while low < high:
        middle = (low + high) // 2
        if fails(middle, total):
            high = middle
        else:
            low = middle + 1
    return _at_least(low, total, rate)


def _at_least(count: int, total: int, rate: float) -> float:
    """P(X >= count) for X ~ Binomial(total, rate), summed in logs so large totals stay finite."""
    log_p, log_q = math.log(rate), math.log1p(-rate)
    below = 0.0
    for k in range(count):
        below += math.exp(
            math.lgamma(total + 1) - math.lgamma(k + 1) - math.lgamma(total - k + 1)
            + k * log_p + (total - k) * log_q
        )  # fmt: skip
    return max(0.0, 1.0 - below)


def items_needed(limit: float, decide: str = "point") -> int | None:
    """The fewest answers that give 80% power at twice `limit` (found by doubling, then halving)."""
    total = 8
    while power(total, limit, decide) < POWER:
        total *= 2
        if total > _MAX_ITEMS:
            return None
    low, high = total // 2, total
    while low < high:
        middle = (low + high) // 2
        if power(middle, limit, decide) >= POWER:
            high = middle
        else:
            low = middle + 1
    return low


def planned_answers(
    project: Project, check: CheckSpec, counts: dict[tuple[str, Selector | None], int] | None = None
) -> int:
    """The answers one run of `check` judges: its items, selected, times its repeats.

    A corpus read whole as the project loaded is not read again; `counts` keeps
    the items counted in each corpus for each `select`, so that the checks
    selecting from a corpus alike have it read once between them.
    """
    counts = {} if counts is None else counts
    total = 0
    for corpus in check.corpora:
        key = (corpus, check.select)
        if check.select is None and corpus in project.corpus_sizes:
            counts[key] = project.corpus_sizes[corpus]  # counted as the project loaded
        if key not in counts:
            select = check.select
            blocks = iter_corpus_blocks(project.corpora[corpus])
            counts[key] = sum(
                len(block) if select is None else sum(map(select.matches, block))
                for block in blocks
            )
        total += counts[key]
    return total * (check.repeats or 1)


def power_warnings(project: Project, checks: Iterable[CheckSpec] | None = None) -> list[str]:
    """`checks/x.yaml:1: x: 15 items give 46% power ...`: rate checks whose corpus is too small."""
    warnings = []
    counts: dict[tuple[str, Selector | None], int] = {}
    for check in project.checks if checks is None else checks:
        kind_class = project.registry.kinds[check.kind]
        if not issubclass(kind_class, ResponseKind):
            continue
        limit = kind_class.rate_limit(check.params)
        if limit is None or not 0 < limit < 0.5:
            continue  # at 0 any failure fails; at half or more, twice the limit is no rate
        total = planned_answers(project, check, counts)
        noun = "answers" if (check.repeats or 1) > 1 else "items"
        where = f"{display_path(check.path)}:{check.line}: {check.id}:"
        best = wilson(0, total)[1]
        if check.decide == "upper" and best > limit:
            warnings.append(
                f"{where} with decide: upper, {total} {noun} cannot pass even with no failure: "
                f"the interval's upper bound is then {best:.2%}, over the limit of {limit:.2%}"
            )
            continue
        chance = power(total, limit, check.decide)
        if chance >= POWER:
            continue
        needed = items_needed(limit, check.decide)
        more = f"; {needed} {noun} would" if needed else ""
        warnings.append(
            f"{where} {total} {noun} give {chance:.0%} power to "
            f"catch a failure rate of {2 * limit:.2%}, twice its limit of {limit:.2%} "
            f"(80% is the usual bar){more}"
        )
    return warnings
