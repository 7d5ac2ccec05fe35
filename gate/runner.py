"""The run: plan the suite, collect each answer once, judge it for every check, decide."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import itertools
import operator
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from gate.checks import CheckSpec
from gate.context import RunContext
from gate.corpus import CorpusItem, first_blocks, iter_corpus_blocks
from gate.errors import TargetError, require_http_url
from gate.isolation import CLOCK, KindTimeout, judgement_problem, verdicts_problem
from gate.isolation import summary as _summary
from gate.kinds.base import PASSED, Judgement, ResponseKind, StaticKind
from gate.observers import RunObserver
from gate.project import Project
from gate.provenance import provenance_of
from gate.results import CheckResult, RunResult
from gate.shard import Shard
from gate.status import Status
from gate.tally import MAX_ITEMS_PER_CHECK, Sample, Tally
from gate.targets import TARGET_TYPES, Answer, Target, TargetEnv
from gate.targets.base import AnsweredBlock
from gate.targets.blame import Blame, RunBlame
from gate.targets.recorded import RecordedTarget
from gate.verdicts import decide_tally, evaluate_static, result_of, start_kind

if TYPE_CHECKING:
    from gate.prometheus import Prometheus

Progress = Callable[[int, int], None]  # (answers so far, errors so far)


@dataclass
class _Judge:
    """A response check during a run: its kind and its growing tally.

    A kind that could not start has no instance; its check is `crashed` from
    the outset, and its items are still planned and counted as errored.
    """

    check: CheckSpec
    kind: ResponseKind | None
    tally: Tally = field(default_factory=Tally)
    crashed: str | None = None
    started: float = field(default_factory=time.perf_counter)
    observer: RunObserver | None = None  # told of every item listed, past the tally's cap too

    def __post_init__(self) -> None:
        # Bound once: called for every item.
        self.judge = self.kind.judge if self.kind is not None else _never
        self.judge_many = self.kind.judge_many if self.kind is not None else _never_many
        self.unanswered = self.kind.unanswered if self.kind is not None else _never
        # Only a kind with a judge_many of its own is given whole blocks; the
        # rest are called item by item, so a fault is pinned to its item.
        self.batched = (
            self.kind is not None and type(self.kind).judge_many is not ResponseKind.judge_many
        )

    def wants(self, item: CorpusItem) -> bool:
        return self.check.select is None or self.check.select.matches(item)


def _never(item: CorpusItem, response: Any) -> Judgement:
    raise AssertionError("a check whose kind did not start is never asked to judge")


def _never_many(items: Sequence[CorpusItem], responses: Sequence[Any]) -> list[Judgement]:
    raise AssertionError("a check whose kind did not start is never asked to judge")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def build_target(
    project: Project, url_override: str | None = None, replay: Path | None = None
) -> Target:
    """The configured target, with the candidate manifest and any URL override.

    With `replay`, the answers of that recording (`gate run --record`) instead:
    a recorded target that counts server failures as the configured one does,
    so the replay decides every item as the recorded run did.
    """
    settings = project.config.target
    if replay is not None:
        recorded = RecordedTarget(
            {"type": "recorded", "path": str(replay.resolve())},
            TargetEnv(root=project.config.root, config_path=project.config.path, manifest=None),
        )
        recorded.server_failures_fail = settings.get("server_failures") == "failed"
        return recorded
    if url_override is not None:
        example = "the service's base URL, such as http://127.0.0.1:8080"
        require_http_url("--target-url", url_override, example)
    env = TargetEnv(
        root=project.config.root,
        config_path=project.config.path,
        manifest=project.manifest.path.resolve() if project.manifest else None,
        url_override=url_override,
        locate=lambda key_path: project.config.locate(*key_path),
    )
    return TARGET_TYPES[settings["type"]].load()(settings, env)


def run_suite(
    project: Project,
    suite: str,
    *,
    target: Target,
    progress: Progress | None = None,
    shard: Shard | None = None,
    prometheus: Prometheus | None = None,
    observer: RunObserver | None = None,
    max_items: int = MAX_ITEMS_PER_CHECK,
    limit: int | None = None,
) -> RunResult:
    """Run one suite and return its result; the caller writes the reports.

    With a `shard`, only the corpus items of that shard are asked and judged,
    and static checks are judged in shard 1 alone; `gate merge` adds the
    shards' tallies up and judges every threshold on the sum. `prometheus` is
    the server prometheus_query checks ask, when one is configured. An
    `observer` sees every answer, every failed or errored item and every GET of
    the run (`--record`, `--report-html`). Each check lists its first
    `max_items` failed and errored items; the run's notes say which were cut.
    With a `limit`, only the first `limit` items of each corpus are asked
    (while writing checks).
    """
    return asyncio.run(
        run_suite_async(
            project,
            suite,
            target=target,
            progress=progress,
            shard=shard,
            prometheus=prometheus,
            observer=observer,
            max_items=max_items,
            limit=limit,
        )
    )


async def run_suite_async(
    project: Project,
    suite: str,
    *,
    target: Target,
    progress: Progress | None = None,
    shard: Shard | None = None,
    prometheus: Prometheus | None = None,
    observer: RunObserver | None = None,
    max_items: int = MAX_ITEMS_PER_CHECK,
    limit: int | None = None,
) -> RunResult:
    """`run_suite` inside a running event loop, so several runs can share it (`gate prove`)."""
    chosen = list(project.suite_checks(suite))
    started_at, started = _now(), time.perf_counter()
    skipped = [
        CheckResult(check, Status.SKIPPED, message=f"not in suite '{suite}'")
        for check in project.checks
        if suite not in check.suites
    ]
    judges = _instantiate(project, chosen, observer, max_items)
    results: dict[str, CheckResult] = {}
    notes: list[str] = []
    static = [check for check in chosen if project.registry.kinds[check.kind].scope == "static"]
    if shard is not None and not shard.judges_static:
        for check in static:
            results[check.id] = CheckResult(
                check, Status.SKIPPED, message=f"judged in shard 1/{shard.count}"
            )
    live = [c for c in static if c.id not in results and _reads_target(project, c)]
    try:
        await _collect(
            project, judges, target, progress, live, results, shard, prometheus, observer, limit
        )
    except TargetError as exc:
        # The whole story (a launched service's own output) once, in the notes;
        # each check says what happened in a line.
        notes.append(str(exc))
        headline = str(exc).splitlines()[0]
        for judge in judges:
            judge.crashed = judge.crashed or f"the target could not be used: {headline}"
        for check in live:
            # Not judged without a live service, and the check must not read
            # as if it had been pointed at the wrong kind of target.
            results.setdefault(
                check.id,
                CheckResult(
                    check, Status.ERROR, message=f"the target could not be used: {headline}"
                ),
            )
    notes.extend(target.notes())
    for judge in judges:
        results[judge.check.id] = _decide(judge)
        notes.extend(cut_notes(judge.check.id, judge.tally))
    context = run_context(project, prometheus=prometheus)
    for check in static:
        if check.id not in results:
            # In a thread, so that other runs sharing the loop go on meanwhile.
            results[check.id] = await asyncio.to_thread(evaluate_static, check, project, context)
    ordered = [_redacted(results[check.id], target.redact) for check in chosen] + skipped
    manifest = project.manifest
    return RunResult(
        suite=suite,
        results=tuple(ordered),
        target=target.describe(),
        manifest=({"path": str(manifest.path), "version": manifest.version} if manifest else None),
        started_at=started_at,
        finished_at=_now(),
        duration_s=round(time.perf_counter() - started, 3),
        notes=tuple(target.redact(note) for note in notes),
        provenance=provenance_of(project),
        shard=shard,
        action_items={
            check.action_item: project.action_items[check.action_item].to_json()
            for check in project.checks
            if check.action_item in project.action_items
        },
    )


def _redacted(result: CheckResult, redact: Callable[[str], str]) -> CheckResult:
    # A service may echo a request header back, and a kind may quote the
    # answer in a reason: secrets are masked in everything a report shows.
    tally = result.tally
    if tally is not None:
        tally.samples = [
            dataclasses.replace(sample, reason=redact(sample.reason)) for sample in tally.samples
        ]
    return dataclasses.replace(
        result, message=redact(result.message), details=_scrubbed(result.details, redact)
    )


def _scrubbed(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, Mapping):
        return {key: _scrubbed(item, redact) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_scrubbed(item, redact) for item in value]
    return value


def planned_items(
    project: Project, suite: str, shard: Shard | None = None, limit: int | None = None
) -> int:
    """How many items a run of `suite` asks the target for: a progress bar's total."""
    readers: dict[str, list[CheckSpec]] = {}
    for check in project.checks:
        if suite in check.suites and project.registry.kinds[check.kind].scope == "response":
            for corpus in check.corpora:
                readers.setdefault(corpus, []).append(check)
    count = 0
    for corpus, checks in readers.items():
        selectors = [check.select for check in checks]
        for block in first_blocks(iter_corpus_blocks(project.corpora[corpus]), limit):
            if shard is None and None in selectors:
                count += len(block)  # every item is asked: counted without looking at one
                continue
            for item in block:
                if shard is not None and not shard.owns(item.id):
                    continue
                count += None in selectors or any(
                    selector.matches(item) for selector in selectors if selector
                )
    return count


def run_context(
    project: Project,
    fetch: Callable[[str], str] | None = None,
    prometheus: Prometheus | None = None,
) -> RunContext:
    """The context static kinds see; `fetch` is wired only while a target is open."""
    return RunContext(
        root=project.config.root,
        config=project.config,
        manifest=project.manifest,
        releases=project.releases,
        corpora=project.corpora,
        fetch=fetch,
        prometheus=prometheus,
    )


def _reads_target(project: Project, check: CheckSpec) -> bool:
    kind_class = project.registry.kinds[check.kind]
    return issubclass(kind_class, StaticKind) and kind_class.live_target


def cut_notes(check_id: str, tally: Tally) -> list[str]:
    """The note a report gives when a check's list of failed and errored items was cut."""
    if not tally.left_out:
        return []
    listed = len(tally.samples)
    return [
        f"{check_id} lists the first {listed} of its {listed + tally.left_out} failed and "
        f"errored items; {tally.left_out} are left out (--max-items-per-check {tally.cap})"
    ]


def _fetcher(target: Target, observer: RunObserver | None = None) -> Callable[[str], str]:
    # Static kinds are synchronous and run in a worker thread, so their GET is
    # handed back to the event loop and shares the target's connection pool.
    loop = asyncio.get_running_loop()

    def fetch(path: str) -> str:
        try:
            text = asyncio.run_coroutine_threadsafe(target.get(path), loop).result()
        except TargetError as exc:
            if observer is not None:
                observer.fetched(path, None, str(exc))
            raise
        if observer is not None:
            observer.fetched(path, text, None)
        return text

    return fetch


async def _evaluate_live(
    project: Project,
    checks: Sequence[CheckSpec],
    target: Target,
    prometheus: Prometheus | None = None,
    observer: RunObserver | None = None,
) -> dict[str, CheckResult]:
    context = run_context(project, _fetcher(target, observer), prometheus)
    results: dict[str, CheckResult] = {}
    for check in checks:
        results[check.id] = await asyncio.to_thread(evaluate_static, check, project, context)
    return results


async def judge_round(
    project: Project,
    checks: Sequence[CheckSpec],
    target: Target,
    *,
    items: Iterable[CorpusItem] | None = None,
    unanswered: Blame | None = None,
    progress: Progress | None = None,
    prometheus: Prometheus | None = None,
    observer: RunObserver | None = None,
) -> list[CheckResult]:
    """Judge `checks` once against a target that is already open (`async with target`).

    Several rounds can run inside one `async with target`, sharing its connection
    pool. `items`, when given, replaces the checks' corpora: every response check
    judges those items (its `select` still applies). `unanswered` decides whether
    an answer with no body is a failure of the service rather than an item that
    could not be judged; without it, every such item is `errored`. Static checks
    are evaluated too, with `fetch` reading the open target and `prometheus`
    answering their queries. An `observer` sees the round as it sees a run.
    """
    judges = _instantiate(project, list(checks), observer)
    results: dict[str, CheckResult] = {}
    try:
        await _ask(project, judges, target, progress, items, unanswered, observer=observer)
    except TargetError as exc:
        for judge in judges:
            judge.crashed = judge.crashed or f"the target could not be used: {exc}"
    for judge in judges:
        results[judge.check.id] = _decide(judge)
    static = [
        check
        for check in checks
        if check.id not in results and project.registry.kinds[check.kind].scope == "static"
    ]
    results.update(await _evaluate_live(project, static, target, prometheus, observer))
    return [_redacted(results[check.id], target.redact) for check in checks]


def _instantiate(
    project: Project,
    chosen: list[CheckSpec],
    observer: RunObserver | None = None,
    max_items: int = MAX_ITEMS_PER_CHECK,
) -> list[_Judge]:
    judges: list[_Judge] = []
    for check in chosen:
        kind_class = project.registry.kinds[check.kind]
        if kind_class.scope != "response":
            continue
        kind, problem = start_kind(check, kind_class)
        if kind is not None and not isinstance(kind, ResponseKind):
            kind, problem = None, f"kind '{check.kind}' did not start as a ResponseKind"
        judges.append(_Judge(check, kind, Tally(cap=max_items), crashed=problem, observer=observer))
    return judges


def _planned(
    blocks: Iterable[Sequence[CorpusItem]], readers: list[_Judge], shard: Shard | None = None
) -> Iterator[Sequence[CorpusItem]]:
    """The items some check reads, a block at a time, counted into each reader's planned total.

    With a shard, the items of other shards are neither planned nor asked.
    """
    if shard is None and all(judge.check.select is None for judge in readers):
        # Every reader reads every item: count once, add to every total at the end.
        count = 0
        try:
            for items in blocks:
                if items:
                    count += len(items)
                    yield items
        finally:
            for judge in readers:
                judge.tally.total += count
        return
    for items in blocks:
        kept: list[CorpusItem] = []
        for item in items:
            if shard is not None and not shard.owns(item.id):
                continue
            wanted = False
            for judge in readers:
                if judge.wants(item):
                    judge.tally.total += 1
                    wanted = True
            if wanted:
                kept.append(item)
        if kept:
            yield kept


async def _collect(
    project: Project,
    judges: list[_Judge],
    target: Target,
    progress: Progress | None,
    live: list[CheckSpec],
    results: dict[str, CheckResult],
    shard: Shard | None = None,
    prometheus: Prometheus | None = None,
    observer: RunObserver | None = None,
    limit: int | None = None,
) -> None:
    if not any(judge.check.corpora for judge in judges) and not live:
        return
    async with target:
        blame = RunBlame(server_failures_fail=target.server_failures_fail)
        await _ask(
            project,
            judges,
            target,
            progress,
            unanswered=blame,
            shard=shard,
            observer=observer,
            limit=limit,
        )
        # Checks that read the live service run while it is still up.
        results.update(await _evaluate_live(project, live, target, prometheus, observer))


async def _ask(
    project: Project,
    judges: list[_Judge],
    target: Target,
    progress: Progress | None,
    items: Iterable[CorpusItem] | None = None,
    unanswered: Blame | None = None,
    shard: Shard | None = None,
    observer: RunObserver | None = None,
    limit: int | None = None,
) -> None:
    sources: list[tuple[Iterable[Sequence[CorpusItem]], list[_Judge]]] = []
    if items is not None:
        sources.append(([list(items)], judges))
    else:
        by_corpus: dict[str, list[_Judge]] = {}
        for judge in judges:
            for corpus in judge.check.corpora:
                by_corpus.setdefault(corpus, []).append(judge)
        for corpus in sorted(by_corpus):
            blocks = first_blocks(iter_corpus_blocks(project.corpora[corpus]), limit)
            sources.append((blocks, by_corpus[corpus]))
    timeouts = [judge.check.timeout_s for judge in judges]
    spared = (_ask_each.__code__, _judge_block.__code__, _judge_each.__code__)
    with CLOCK.ticking(timeouts, spared=(*spared, _judge_one.__code__)), _fewer_collections():
        await _ask_each(sources, target, progress, unanswered, shard, observer)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while blocks are judged.

    Each block holds about a thousand fresh objects (parsed lines, items,
    verdicts) until it is judged, so at the default threshold of 700 the young
    generation is collected over and over, finding nothing: JSON values and
    items hold no cycles and are freed by reference counting. Collecting every
    20,000 allocations instead takes a tenth off judging a million recorded
    answers (benchmarks/README.md); cycles are still collected, later.
    """
    threshold = gc.get_threshold()
    if threshold[0] >= _YOUNG_THRESHOLD:
        # Already raised, by a run this one overlaps (`gate prove`): the first
        # to raise it puts it back, so overlapping runs never leave it raised.
        yield
        return
    gc.set_threshold(_YOUNG_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)


_YOUNG_THRESHOLD = 20_000


async def _ask_each(
    sources: list[tuple[Iterable[Sequence[CorpusItem]], list[_Judge]]],
    target: Target,
    progress: Progress | None,
    unanswered: Blame | None,
    shard: Shard | None,
    observer: RunObserver | None = None,
) -> None:
    done = errors = 0
    for source, readers in sources:
        if not readers:
            continue
        selective = any(judge.check.select is not None for judge in readers)
        checks = [judge.check for judge in readers]
        # Each item is asked once, however many checks read its answer.
        async for block in target.answer_blocks(_planned(source, readers, shard)):
            if not block.items:
                continue
            if observer is not None:
                observer.answered(block, checks)
            done += len(block.items)
            errors += len(block.missed)
            failed = (
                _blamed(block, unanswered)
                if unanswered is not None and (block.missed or unanswered.sees_every_answer)
                else _NONE
            )
            for judge in readers:
                if judge.batched and not (selective or block.missed or judge.crashed):
                    _judge_block(judge, block)
                else:
                    _judge_each(judge, block, failed, selective)
            if progress is not None:
                progress(done, errors)


_NONE: frozenset[int] = frozenset()


def _blamed(block: AnsweredBlock, unanswered: Blame) -> set[int]:
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


def _judge_block(judge: _Judge, block: AnsweredBlock) -> None:
    """A whole block judged by one call of the kind's `judge_many`: every item answered."""
    items = block.items
    CLOCK.current = (judge, items[0])
    try:
        # Only a block with no gaps comes here: every body is an object.
        verdicts = judge.judge_many(items, cast(list[Mapping[str, Any]], block.bodies))
    except (Exception, KindTimeout) as exc:  # isolated: its check errors
        CLOCK.current = None
        _crash(judge, items, exc)
        return
    CLOCK.current = None
    problem = verdicts_problem(verdicts, len(items))
    if problem is not None:
        _crash(judge, items, problem)
        return
    # The verdicts that are not PASSED itself, a few in a block, found in C.
    at_each = map(operator.is_not, verdicts, itertools.repeat(PASSED))
    others = list(itertools.compress(itertools.count(), at_each))
    tally = judge.tally
    for counted, at in enumerate(others):
        _count(judge, items[at], verdicts[at])
        if judge.crashed:
            # A verdict that is no Judgement: as item by item, the ones before
            # it count and the ones after it are errored.
            tally.passed += at - counted
            _errored(judge, items[at + 1 :], judge.crashed, "kind_error")
            return
    tally.passed += len(items) - len(others)


def _judge_each(judge: _Judge, block: AnsweredBlock, failed: Set[int], selective: bool) -> None:
    """A block judged item by item: a kind without `judge_many`, or a block with gaps."""
    clock, tally = CLOCK, judge.tally
    for index, item in enumerate(block.items):
        if selective and not judge.wants(item):
            continue
        body = block.bodies[index]
        if body is None or judge.crashed:
            answer = block.missed.get(index)
            error, cause = (answer.error, answer.cause) if answer is not None else ("", "")
            _judge_one(judge, item, body, error, cause, index in failed)
            continue
        # The common case, inline. The mark lets the clock stop a call that
        # runs past the check's limit.
        clock.current = (judge, item)
        try:
            verdict = judge.judge(item, body)
        except (Exception, KindTimeout) as exc:  # isolated: its check errors
            clock.current = None
            _crash(judge, [item], exc)
            continue
        clock.current = None
        # A pass with no sums, told without a call; anything else (a reason
        # that is not a str included) is checked in full by _count.
        if (
            verdict.__class__ is Judgement
            and verdict[0] is True
            and verdict[1].__class__ is str
            and verdict[2] is None
        ):
            tally.passed += 1
        else:
            _count(judge, item, verdict)


def _crash(judge: _Judge, items: Sequence[CorpusItem], fault: BaseException | str) -> None:
    """Stop judging a check whose kind failed on `items`; its items from here on are errored."""
    kind = f"kind '{judge.check.kind}'"
    where = f"item {items[0].id}" if len(items) == 1 else f"items {items[0].id} to {items[-1].id}"
    if isinstance(fault, KindTimeout):
        judge.crashed = f"{kind} {fault} judging {where}: stopped"
    elif isinstance(fault, BaseException):
        judge.crashed = f"{kind} raised on {where}: {_summary(fault)}"
    else:
        judge.crashed = f"{kind} returned {fault} on {where}"
    _errored(judge, items, judge.crashed, "kind_error")


def _errored(judge: _Judge, items: Sequence[CorpusItem], reason: str, cause: str) -> None:
    """Count `items` as errored for `cause`, each one listed with `reason`."""
    tally = judge.tally
    tally.errored += len(items)
    tally.causes[cause] = tally.causes.get(cause, 0) + len(items)
    for item in items:
        _list(judge, Sample(item.corpus, item.line, item.id, "errored", reason, cause))


def _list(judge: _Judge, sample: Sample) -> None:
    """One failed or errored item: into the tally's list, and to the run's observer."""
    judge.tally.add_sample(sample)
    if judge.observer is not None:
        judge.observer.problem(judge.check, sample)


def _count(judge: _Judge, item: CorpusItem, verdict: Judgement, cause: str = "") -> None:
    problem = judgement_problem(verdict)
    if problem is not None:
        _crash(judge, [item], problem)
        return
    tally = judge.tally
    if verdict.ok:
        tally.passed += 1
    else:
        tally.failed += 1
        _list(judge, Sample(item.corpus, item.line, item.id, "failed", verdict.reason, cause))
    if verdict.sums:
        sums = tally.sums
        for key, value in verdict.sums.items():
            sums[key] = sums.get(key, 0.0) + value


def _judge_one(
    judge: _Judge,
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
            _crash(judge, [item], exc)
            return
        CLOCK.current = None
        if isinstance(verdict, Judgement) and verdict.ok:
            verdict = Judgement(False, error, verdict.sums)  # never a pass
        cause = cause or "unknown"
        _count(judge, item, verdict, cause)
        if not judge.crashed:
            tally.failed_causes[cause] = tally.failed_causes.get(cause, 0) + 1
        return
    if body is None:
        _errored(judge, [item], error, cause)
        return
    if judge.crashed:
        _errored(judge, [item], judge.crashed, "kind_error")
        return
    CLOCK.current = (judge, item)
    try:
        verdict = judge.judge(item, body)  # type: ignore[arg-type]
    except (Exception, KindTimeout) as exc:  # a kind that raises is isolated: its check errors
        CLOCK.current = None
        _crash(judge, [item], exc)
        return
    CLOCK.current = None
    _count(judge, item, verdict)


def _decide(judge: _Judge) -> CheckResult:
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
    return result_of(judge.check, measurement, tally=judge.tally, duration_s=elapsed)
