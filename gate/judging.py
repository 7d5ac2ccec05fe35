"""Judging answers for one check: the item-by-item, block and graded paths, one rule for counting.

The runner (gate/runner.py) asks the target once per item and hands each
answered block to every check that reads it; here each check's kind judges
the block, a verdict at a time or a block per call, and the tally counts it.
Whatever a kind does (raise, hang, return something that is not a
Judgement), its own check errors and the items from there on are errored,
so every planned item stays accounted for.
"""

from __future__ import annotations

import dataclasses
import itertools
import operator
import time
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from types import CodeType
from typing import Any, cast

from gate.checks import CheckSpec
from gate.corpus import CorpusItem
from gate.grader.asker import Grader
from gate.grader.reply import Unreadable
from gate.isolation import CLOCK, KindTimeout, judgement_problem, verdicts_problem
from gate.isolation import summary as _summary
from gate.kinds.base import PASSED, Judgement, ResponseKind
from gate.kinds.graded import GradedKind
from gate.observers import RunObserver
from gate.results import CheckResult
from gate.status import Status
from gate.tally import Sample, Tally
from gate.targets import Answer
from gate.targets.base import NOTHING_MISSED, AnsweredBlock
from gate.targets.blame import Blame
from gate.verdicts import decide_tally, result_of


@dataclass
class Judge:
    """A response check during a run: its kind and its growing tally.

    A kind that could not start has no instance; its check is `crashed` from
    the outset, and its items are still planned and counted as errored.
    """

    check: CheckSpec
    kind: ResponseKind | None
    tally: Tally = field(default_factory=Tally)
    crashed: str | None = None
    started: float = field(default_factory=time.perf_counter)
    grader: Grader | None = None  # a kind whose answers a model grades: its endpoint and cache
    observer: RunObserver | None = None  # told of every item listed, past the tally's cap too

    def __post_init__(self) -> None:
        # Bound once: called for every item.
        self.judge = self.kind.judge if self.kind is not None else _never
        self.judge_many = self.kind.judge_many if self.kind is not None else _never_many
        self.unanswered = self.kind.unanswered if self.kind is not None else _never
        # Only a kind with a judge_many of its own is given whole blocks; the
        # rest are called item by item, so a fault is pinned to its item.
        self.batched = (
            self.kind is not None
            and type(self.kind).judge_many is not ResponseKind.judge_many
            and not self.kind.timed
        )
        self.timed = self.kind is not None and self.kind.timed

    @property
    def repeats(self) -> int:
        return self.check.repeats or 1

    def wants(self, item: CorpusItem) -> bool:
        if item.repeat >= self.repeats:
            return False
        return self.check.select is None or self.check.select.matches(item)


def _never(item: CorpusItem, response: Any) -> Judgement:
    raise AssertionError("a check whose kind did not start is never asked to judge")


def _never_many(items: Sequence[CorpusItem], responses: Sequence[Any]) -> list[Judgement]:
    raise AssertionError("a check whose kind did not start is never asked to judge")


NOTHING_BLAMED: frozenset[int] = frozenset()


def blamed(block: AnsweredBlock, unanswered: Blame) -> set[int]:
    """The unanswered items the service is to blame for, each answer seen in order."""
    blamed: set[int] = set()
    if not unanswered.sees_every_answer:
        for at, answer in block.missed.items():
            if unanswered(answer):
                blamed.add(at)
        return blamed
    for at, body in enumerate(block.bodies):
        answer = block.missed[at] if body is None else Answer(body)
        if unanswered(answer):
            blamed.add(at)
    return blamed


def judge_block(judge: Judge, block: AnsweredBlock) -> None:
    """A whole block judged by one call of the kind's `judge_many`: every item answered."""
    items = block.items
    CLOCK.current = (judge, items[0])
    try:
        # Only a block with no gaps comes here: every body is an object.
        verdicts = judge.judge_many(items, cast(list[Mapping[str, Any]], block.bodies))
    except (Exception, KindTimeout) as exc:  # isolated: its check errors
        CLOCK.current = None
        crash(judge, items, exc)
        return
    CLOCK.current = None
    problem = verdicts_problem(verdicts, len(items))
    if problem is not None:
        crash(judge, items, problem)
        return
    # The verdicts that are not PASSED itself, a few in a block, found in C.
    at_each = map(operator.is_not, verdicts, itertools.repeat(PASSED))
    others = list(itertools.compress(itertools.count(), at_each))
    tally = judge.tally
    for counted, at in enumerate(others):
        count(judge, items[at], verdicts[at])
        if judge.crashed:
            # A verdict that is no Judgement: as item by item, the ones before
            # it count and the ones after it are errored.
            tally.passed += at - counted
            errored(judge, items[at + 1 :], judge.crashed, "kind_error")
            return
    tally.passed += len(items) - len(others)


def judge_each(judge: Judge, block: AnsweredBlock, failed: Set[int], selective: bool) -> None:
    """A block judged item by item: a kind without `judge_many`, or a block with gaps."""
    if judge.timed:
        judge_timed(judge, block, failed, selective)
        return
    clock, tally = CLOCK, judge.tally
    for index, item in enumerate(block.items):
        if selective and not judge.wants(item):
            continue
        body = block.bodies[index]
        if body is None or judge.crashed:
            answer = block.missed.get(index)
            error, cause = (answer.error, answer.cause) if answer is not None else ("", "")
            judge_one(judge, item, body, error, cause, index in failed)
            continue
        # The common case, inline. The mark lets the clock stop a call that
        # runs past the check's limit.
        clock.current = (judge, item)
        try:
            verdict = judge.judge(item, body)
        except (Exception, KindTimeout) as exc:  # isolated: its check errors
            clock.current = None
            crash(judge, [item], exc)
            continue
        clock.current = None
        # A pass with no sums, told without a call; anything else (a reason
        # that is not a str included) is checked in full by count.
        if (
            verdict.__class__ is Judgement
            and verdict[0] is True
            and verdict[1].__class__ is str
            and verdict[2] is None
        ):
            tally.passed += 1
        else:
            count(judge, item, verdict)


def judge_timed(judge: Judge, block: AnsweredBlock, failed: Set[int], selective: bool) -> None:
    """A block judged by a kind that reads how long each answer took (latency).

    A request that timed out is judged too (the kind counts it as over every
    limit); an answer the target measured no time for is errored.
    """
    timings = block.timings
    for index, item in enumerate(block.items):
        if selective and not judge.wants(item):
            continue
        body = block.bodies[index]
        answer = block.missed.get(index)
        timed_out = body is None and answer is not None and answer.cause == "timeout"
        timing = timings[index] if timings is not None else None
        if judge.crashed or (not timed_out and (body is None or timing is None)):
            if body is None or judge.crashed:
                error, cause = (answer.error, answer.cause) if answer is not None else ("", "")
                judge_one(judge, item, body, error, cause, index in failed)
            else:
                reason = "the target measured no time for this answer (a recorded file keeps none)"
                errored(judge, [item], reason, "no_timing")
            continue
        CLOCK.current = (judge, item)
        try:
            assert judge.kind is not None
            verdict = judge.kind.judge_timed(item, body, None if timed_out else timing)
        except (Exception, KindTimeout) as exc:  # isolated: its check errors
            CLOCK.current = None
            crash(judge, [item], exc)
            continue
        CLOCK.current = None
        if timed_out and isinstance(verdict, Judgement) and verdict.ok:
            verdict = Judgement(False, answer.error if answer else "timed out", verdict.sums)
        count(judge, item, verdict)


async def grade_block(judge: Judge, block: AnsweredBlock, failed: Set[int]) -> None:
    """Hand a block's answers to the check's grader; ask the judge when its window is full.

    An item without an answer is judged at once, as any check judges it.
    """
    assert judge.grader is not None
    tally = judge.tally
    for index, item in enumerate(block.items):
        if not judge.wants(item):
            continue
        body = block.bodies[index]
        if body is not None and not judge.crashed:
            judge.grader.add(item, body)
            continue
        before = (tally.passed, tally.failed, tally.errored)
        answer = block.missed.get(index)
        error, cause = (answer.error, answer.cause) if answer is not None else ("", "")
        judge_one(judge, item, body, error, cause, index in failed)
        if judge.repeats > 1:
            tally.count_item(item.corpus, item.id, before)
    if judge.grader.full:
        await graded(judge)


async def graded(judge: Judge) -> None:
    """Ask the judge about the grader's window, then count each reply the kind reads.

    The judge's own failures are errored (`judge_` and the endpoint's cause, or
    `judge_unreadable`), never passed: the release is not to blame for them.
    """
    grader, kind, tally = judge.grader, judge.kind, judge.tally
    assert grader is not None and isinstance(kind, GradedKind)
    waiting = [item for item, _ in grader.pending]
    try:
        replies = await grader.replies()
    except Exception as exc:  # the kind's grading() raised: its check errors, the run goes on
        crash(judge, waiting, exc)
        return
    for asked in replies:
        item = asked.item
        before = (tally.passed, tally.failed, tally.errored)
        if judge.crashed:
            judge_one(judge, item, asked.response, "", "")
        elif asked.failure is not None:
            reason = grader.redact(f"the judge: {asked.failure.error}")
            errored(judge, [item], reason, f"judge_{asked.failure.cause or 'unknown'}")
        else:
            CLOCK.current = (judge, item)
            try:
                verdict = kind.judge_reply(item, asked.response, asked.reply or "")
            except Unreadable as exc:
                CLOCK.current = None
                reason = grader.redact(f"the judge's reply: {exc}")
                errored(judge, [item], reason, "judge_unreadable")
            except (Exception, KindTimeout) as exc:  # isolated: its check errors
                CLOCK.current = None
                crash(judge, [item], exc)
            else:
                CLOCK.current = None
                count(judge, item, verdict)
                if not judge.crashed:
                    grader.remember(asked)
        if judge.repeats > 1:
            tally.count_item(item.corpus, item.id, before)


def judge_counted(judge: Judge, block: AnsweredBlock, failed: Set[int]) -> None:
    """A block judged item by item, each item's passed, failed and errored answers counted.

    For a check that asks each item several times: its report says how many of
    an item's answers passed, and which items are flaky.
    """
    tally = judge.tally
    for index, item in enumerate(block.items):
        if not judge.wants(item):
            continue
        before = (tally.passed, tally.failed, tally.errored)
        one = AnsweredBlock(
            [item],
            [block.bodies[index]],
            {0: block.missed[index]} if index in block.missed else NOTHING_MISSED,
            None if block.timings is None else [block.timings[index]],
        )
        judge_each(judge, one, {0} if index in failed else NOTHING_BLAMED, False)
        tally.count_item(item.corpus, item.id, before)


def crash(judge: Judge, items: Sequence[CorpusItem], fault: BaseException | str) -> None:
    """Stop judging a check whose kind failed on `items`; its items from here on are errored."""
    kind = f"kind '{judge.check.kind}'"
    where = f"item {items[0].id}" if len(items) == 1 else f"items {items[0].id} to {items[-1].id}"
    if isinstance(fault, KindTimeout):
        judge.crashed = f"{kind} {fault} judging {where}: stopped"
    elif isinstance(fault, BaseException):
        judge.crashed = f"{kind} raised on {where}: {_summary(fault)}"
    else:
        judge.crashed = f"{kind} returned {fault} on {where}"
    errored(judge, items, judge.crashed, "kind_error")


def errored(judge: Judge, items: Sequence[CorpusItem], reason: str, cause: str) -> None:
    """Count `items` as errored for `cause`, each one listed with `reason`."""
    tally = judge.tally
    tally.errored += len(items)
    tally.causes[cause] = tally.causes.get(cause, 0) + len(items)
    for item in items:
        listed(judge, Sample(item.corpus, item.line, item.id, "errored", reason, cause))


def listed(judge: Judge, sample: Sample) -> None:
    """One failed or errored item: into the tally's list, and to the run's observer."""
    judge.tally.add_sample(sample)
    if judge.observer is not None:
        judge.observer.problem(judge.check, sample)


def count(judge: Judge, item: CorpusItem, verdict: Judgement, cause: str = "") -> None:
    problem = judgement_problem(verdict)
    if problem is not None:
        crash(judge, [item], problem)
        return
    tally = judge.tally
    if verdict.ok:
        tally.passed += 1
    else:
        tally.failed += 1
        listed(judge, Sample(item.corpus, item.line, item.id, "failed", verdict.reason, cause))
    if verdict.sums:
        sums = tally.sums
        for key, value in verdict.sums.items():
            sums[key] = sums.get(key, 0.0) + value


def judge_one(
    judge: Judge,
    item: CorpusItem,
    body: object,
    error: str,
    cause: str,
    failed: bool = False,
) -> None:
    tally = judge.tally
    if body is None and failed and not judge.crashed:
        # The service answered badly (a body that is not JSON; in a bake, a
        # 5xx or a timeout): judged, and failed, since a user would have seen
        # it. The kind says what such an answer is worth to its sums.
        CLOCK.current = (judge, item)
        try:
            verdict = judge.unanswered(item, error)
        except (Exception, KindTimeout) as exc:  # isolated: its check errors
            CLOCK.current = None
            crash(judge, [item], exc)
            return
        CLOCK.current = None
        if isinstance(verdict, Judgement) and verdict.ok:
            verdict = Judgement(False, error, verdict.sums)  # never a pass
        cause = cause or "unknown"
        count(judge, item, verdict, cause)
        if not judge.crashed:
            tally.failed_causes[cause] = tally.failed_causes.get(cause, 0) + 1
        return
    if body is None:
        errored(judge, [item], error, cause)
        return
    if judge.crashed:
        errored(judge, [item], judge.crashed, "kind_error")
        return
    CLOCK.current = (judge, item)
    try:
        verdict = judge.judge(item, body)  # type: ignore[arg-type]
    except (Exception, KindTimeout) as exc:  # a kind that raises is isolated: its check errors
        CLOCK.current = None
        crash(judge, [item], exc)
        return
    CLOCK.current = None
    count(judge, item, verdict)


def decide(judge: Judge) -> CheckResult:
    elapsed = round(time.perf_counter() - judge.started, 3)
    if judge.crashed:
        return CheckResult(
            judge.check,
            Status.ERROR,
            message=judge.crashed,
            tally=judge.tally,
            duration_s=elapsed,
            crashed=True,
        )
    assert judge.kind is not None  # a kind that did not start has crashed
    measurement = decide_tally(judge.check, judge.kind, judge.tally)
    if judge.grader is not None:
        measurement = dataclasses.replace(
            measurement, details={**measurement.details, "judge": judge.grader.describe()}
        )
    return result_of(judge.check, measurement, tally=judge.tally, duration_s=elapsed)


# The frames in which the judge clock's mark may be set while no kind code runs:
# a tick that lands there must not raise, or it would stop the run itself.
JUDGING_FRAMES: tuple[CodeType, ...] = (
    judge_block.__code__,
    judge_each.__code__,
    judge_counted.__code__,
    judge_timed.__code__,
    grade_block.__code__,
    graded.__code__,
    judge_one.__code__,
)
