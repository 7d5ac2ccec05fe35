"""Repeats: each item asked several times, as that many requests, for a model that samples.

A model sampled at a temperature above 0 can pass an item on one run and fail
it on the next, so one answer per item says little. A check with `repeats: N`
(or every check, with `gate run --repeats N`) has each item asked N times,
each ask a request of its own that carries its index (`{repeat}` in the
request body, 0 for the first), and counts every answer: its tally's total is
N x items. Per item it keeps how many of the N answers passed (`Tally.items`),
so the report can name the flaky items, those that passed some asks and
failed others.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from gate.checks import CheckSpec
from gate.corpus import CorpusItem

if TYPE_CHECKING:
    from gate.project import Project
    from gate.tally import Tally

MAX_FLAKY = 20  # flaky items a report lists by name; the count covers them all


def with_repeats(checks: Iterable[CheckSpec], repeats: int | None) -> list[CheckSpec]:
    """The checks with `repeats` filled in: the check file's, else the run's, else 1.

    A check file that sets its own wins over the command line, so a run-wide
    `--repeats 1` cannot quietly weaken a check that asked for five.
    """
    return [
        check if check.repeats is not None else replace(check, repeats=repeats or 1)
        for check in checks
    ]


def repeated(blocks: Iterable[Sequence[CorpusItem]], count: int) -> Iterator[Sequence[CorpusItem]]:
    """Each item of each block `count` times in a row, as repeat 0, 1, ..., count - 1."""
    if count <= 1:
        yield from blocks
        return
    for block in blocks:
        yield [item._replace(repeat=index) for item in block for index in range(count)]


def flaky(tally: Tally) -> list[dict[str, Any]]:
    """The items some of whose answers passed and some failed, in corpus and id order."""
    return [
        {
            "corpus": corpus,
            "item": item,
            "passed": counts[0],
            "failed": counts[1],
            "errored": counts[2],
        }
        for (corpus, item), counts in sorted(tally.items.items())
        if counts[0] and counts[1]
    ]


def repeats_details(tally: Tally, repeats: int) -> dict[str, Any]:
    """The report's `repeats` of a check: asks per item, items by passed answers, flaky items."""
    by_passed: dict[int, int] = {}
    for counts in tally.items.values():
        by_passed[counts[0]] = by_passed.get(counts[0], 0) + 1
    listed = flaky(tally)
    return {
        "repeats": repeats,
        "items": len(tally.items),
        "items_by_passed_answers": {str(k): v for k, v in sorted(by_passed.items())},
        "flaky_count": len(listed),
        "flaky": listed[:MAX_FLAKY],
    }


def flaky_text(tally: Tally) -> str:
    """`3 flaky items (some answers passed, some failed): rg-0012 2/3, rg-0101 1/3, ...`."""
    listed = flaky(tally)
    if not listed:
        return f"no flaky item among {len(tally.items)}"
    shown = ", ".join(
        f"{entry['item']} {entry['passed']}/{sum(tally.items[(entry['corpus'], entry['item'])])}"
        for entry in listed[:5]
    )
    more = f", and {len(listed) - 5} more" if len(listed) > 5 else ""
    noun = "item" if len(listed) == 1 else "items"
    return f"{len(listed)} flaky {noun} (some answers passed, some failed): {shown}{more}"


def same_request_warnings(project: Project, repeats: int | None = None) -> list[str]:
    """`same_request_warning` for a project's checks, with the run's `--repeats` if any."""
    found = same_request_warning(with_repeats(project.checks, repeats), project.config.target)
    return [found] if found else []


def same_request_warning(checks: Iterable[CheckSpec], target: Mapping[str, Any]) -> str | None:
    """A warning when items are asked more than once but every ask sends the same body.

    A service that caches answers (or a proxy in front of it) would then answer
    every repeat from its cache, and the repeats would measure nothing.
    """
    names = [check.id for check in checks if (check.repeats or 1) > 1]
    if not names or target.get("type") != "http":
        return None
    from gate.targets.http_settings import HttpSettings
    from gate.targets.template import uses_field

    if uses_field(HttpSettings.from_settings(target, None).body, "repeat"):
        return None
    return (
        f"{', '.join(names)} ask each item more than once, but target.body has no {{repeat}}: "
        "every ask sends the same request, which a caching service answers once; add "
        '"repeat": "{repeat}" (or a seed) to the body'
    )
