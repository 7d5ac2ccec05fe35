"""What a check kind is: the two shapes a kind can take and the values it returns."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from gate.intervals import Interval, wilson
from gate.status import Status

if TYPE_CHECKING:
    from gate.context import ProjectView, RunContext
    from gate.corpus import CorpusItem
    from gate.errors import InputError
    from gate.tally import Tally
    from gate.targets.base import Timing


class Judgement(NamedTuple):
    """A kind's word on one answered item."""

    ok: bool
    reason: str = ""  # what was wrong, for the report's samples
    sums: Mapping[str, float] | None = None  # kind-specific amounts to add to the tally


PASSED = Judgement(True)

#: A key of Measurement.details: True when the check failed on a limit other than
#: the one its interval holds (an axis minimum, a latency percentile). A check's
#: `decide: upper|lower` judges the interval alone, so it never passes such a check.
FAILED_ELSEWHERE = "failed_elsewhere"


@dataclass(frozen=True)
class Measurement:
    """A check's verdict: the status, what was measured, and the bar it was held to."""

    status: Status
    measured: float | int | str | None
    limit: str | None
    message: str
    details: Mapping[str, Any] = field(default_factory=dict)


class ResponseKind(ABC):
    """A kind that judges a target's answers item by item, then applies its bar to the tally.

    Subclasses set `name` and `params_schema`, and document their params in
    their docstring; `judge` must not keep per-item state, since the same
    instance judges every shard and round.
    """

    name: ClassVar[str]  # the `kind:` value in check files
    params_schema: ClassVar[Mapping[str, Any]]  # the JSON Schema of the check's `params`
    scope: ClassVar[str] = "response"  # answered items, item by item
    timed: ClassVar[bool] = False  # True: judged by `judge_timed`, with each answer's Timing

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.params = params  # already validated against params_schema

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        """Problems the params schema cannot express, as (key path in params, message)."""
        return []

    @classmethod
    def rate_limit(cls, params: Mapping[str, Any]) -> float | None:
        """The largest share of failed answers the check allows, or None for another bar.

        `gate validate` uses it to warn when a corpus is too small to catch a
        failure rate of twice the limit with 80% power.
        """
        return None

    @classmethod
    def validate(cls, params: Mapping[str, Any], project: ProjectView) -> list[InputError]:
        """What the params name in the project that is not there (`gate validate` and every run)."""
        return []

    @abstractmethod
    def judge(self, item: CorpusItem, response: Mapping[str, Any]) -> Judgement:
        """The verdict on one answered item."""

    def judge_many(
        self, items: Sequence[CorpusItem], responses: Sequence[Mapping[str, Any]]
    ) -> list[Judgement]:
        """The verdicts on a block of answered items, in order: by default `judge` on each.

        A kind overrides this only when it can judge a block faster than item by
        item (a million recorded answers go through here). It must return what
        `judge` would, item for item; a fault in it errors the check for the
        whole block. Kinds that keep the default are called item by item, so a
        fault is pinned to its item.
        """
        return list(map(self.judge, items, responses))

    def judge_timed(
        self, item: CorpusItem, response: Mapping[str, Any] | None, timing: Timing | None
    ) -> Judgement:
        """The verdict on one answer and how long it took, for a kind that sets `timed`.

        The runner calls it instead of `judge` with the target's `Timing` of
        every answer (the first byte and the whole body, in seconds), and with
        `response` and `timing` None for a request that timed out, which a
        timed kind judges rather than leaving unjudged. An answer whose target
        measured no time (a recorded file without timings) is errored, cause
        `no_timing`, and never reaches the kind.
        """
        return self.judge(item, response) if response is not None else Judgement(False, "timed out")

    def unanswered(self, item: CorpusItem, reason: str) -> Judgement:
        """The verdict on an item the service failed to answer properly: failed.

        A body of the wrong shape (not JSON, an HTML page), and in a bake also a
        5xx or a timeout, is what a user saw, so the item fails. A kind whose
        verdict reads sums says here what such an answer is worth (eval_score:
        a score of 0), so that a service failing most requests cannot pass on
        the few it answered.
        """
        return Judgement(False, reason)

    def bound(self, tally: Tally, *, errored_passed: bool) -> Tally:
        """The tally as if every errored item had passed (or, with False, had failed).

        `decide_tally` judges both bounds: a check whose failures alone break its
        limit fails, and one that holds even if every errored item had failed
        passes. A kind that keeps sums adds the best or worst an item can add.
        """
        moved = tally.errored
        return replace(
            tally,
            passed=tally.passed + (moved if errored_passed else 0),
            failed=tally.failed + (0 if errored_passed else moved),
            errored=0,
            causes={},
        )

    @abstractmethod
    def verdict(self, tally: Tally) -> Measurement:
        """The check's status from its (possibly merged) tally of judged items."""


class StaticKind(ABC):
    """A kind that looks at files (manifests, rules, corpora) rather than at answers."""

    name: ClassVar[str]  # the `kind:` value in check files
    params_schema: ClassVar[Mapping[str, Any]]  # the JSON Schema of the check's `params`
    scope: ClassVar[str] = "static"  # once per run, no target needed
    live_target: ClassVar[bool] = False  # True when evaluate() reads the service via context.fetch

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.params = params  # already validated against params_schema

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        """Problems the params schema cannot express, as (key path in params, message)."""
        return []

    @classmethod
    def validate(cls, params: Mapping[str, Any], project: ProjectView) -> list[InputError]:
        """What the params name in the project that is not there (`gate validate` and every run)."""
        return []

    @abstractmethod
    def evaluate(self, context: RunContext) -> Measurement:
        """The check's verdict from the run's files."""


def positions(values: list[Any], value: Any) -> Iterator[int]:
    """Where `value` stands in `values`, found in C: for the few failures in a judged block."""
    at = -1
    for _ in range(values.count(value)):
        at = values.index(value, at + 1)
        yield at


def rate_verdict(tally: Tally, max_rate: float, what: str, exempt: int = 0) -> Measurement:
    """Pass while the share of failed items is at or below `max_rate`; above it, fail.

    The comparison is exact (fractions, not floats), so a limit of 2% passes
    at exactly 2 failures in 100 and fails at 3 in 149. Items the service
    failed to answer properly are counted apart from those that broke the
    kind's rule, so a dead service never reads as `what`. The message and
    `details.interval` carry the share's 95% Wilson interval, and say when it
    straddles the limit: then the data cannot tell which side the truth is on.
    `exempt` passed items are left out of the share (field_language's blanks).
    """
    from gate.tally import count_text  # a verdict's; loading the kinds needs no tally

    judged, failed = tally.judged - exempt, tally.failed
    if judged <= 0:
        return Measurement(
            Status.ERROR, None, None, f"none of the {tally.judged} judged answers had text to judge"
        )
    rate = failed / judged
    limit = f"<= {max_rate:.2%}"
    low, high = wilson(failed, judged)
    noun = "answers" if tally.items else "items"
    interval = Interval(rate, low, high, max_rate, "max", "share", judged, noun)
    unanswered = sum(tally.failed_causes.values())
    if unanswered:
        parts = [f"{failed - unanswered} {what}"] if failed > unanswered else []
        parts.append(f"{unanswered} with no usable answer ({count_text(tally.failed_causes)})")
        measured_text = f"{failed}/{judged} failed, {', '.join(parts)}:"
    else:
        measured_text = f"{failed}/{judged} {what}:"
    over = Fraction(failed, judged) > Fraction(str(max_rate))
    message = (
        f"{measured_text} {interval.text()} {'above' if over else 'within'} {max_rate:.2%}"
        f"{interval.unsettled_text()}"
    )
    details = {"interval": interval.to_json()}
    return Measurement(Status.FAIL if over else Status.PASS, rate, limit, message, details)
