"""The run: plan the suite, collect each answer once, judge it for every check, decide."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import gc
import time
from collections.abc import (
    AsyncIterator,
    Callable,
    Coroutine,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from gate.checks import CheckSpec
from gate.context import RunContext
from gate.corpus import CorpusItem, first_blocks, iter_corpus_blocks
from gate.errors import TargetError, require_http_url
from gate.grader.asker import Grader
from gate.isolation import CLOCK
from gate.judging import (
    JUDGING_FRAMES,
    NOTHING_BLAMED,
    Judge,
    blamed,
    decide,
    grade_block,
    graded,
    judge_block,
    judge_counted,
    judge_each,
)
from gate.kinds.base import ResponseKind, StaticKind
from gate.kinds.graded import GradedKind
from gate.observers import RunObserver
from gate.project import Project
from gate.provenance import provenance_of
from gate.repeats import repeated, with_repeats
from gate.results import CheckResult, RunResult
from gate.shard import Shard
from gate.status import Status
from gate.tally import MAX_ITEMS_PER_CHECK, Tally
from gate.targets import TARGET_TYPES, Target, TargetEnv
from gate.targets.blame import Blame, RunBlame
from gate.targets.recorded import RecordedTarget
from gate.verdicts import evaluate_static, start_kind

if TYPE_CHECKING:
    from gate.prometheus import Prometheus

Progress = Callable[[int, int], None]  # (answers so far, errors so far)


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


_P = ParamSpec("_P")
_T = TypeVar("_T")


def in_own_loop(function: Callable[_P, Coroutine[Any, Any, _T]]) -> Callable[_P, _T]:
    """`function` run to its end in an event loop of its own, with the same parameters."""

    @functools.wraps(function)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _T:
        return asyncio.run(function(*args, **kwargs))

    return run


async def run_suite_async(
    project: Project,
    suite: str,
    *,
    target: Target,
    progress: Progress | None = None,
    shard: Shard | None = None,
    repeats: int | None = None,
    prometheus: Prometheus | None = None,
    observer: RunObserver | None = None,
    max_items: int = MAX_ITEMS_PER_CHECK,
    limit: int | None = None,
) -> RunResult:
    """Run one suite and return its result; the caller writes the reports.

    Awaited inside a running event loop, several runs share it (`gate prove`);
    `run_suite` runs one alone.

    With a `shard`, only the corpus items of that shard are asked and judged,
    and static checks are judged in shard 1 alone; `gate merge` adds the
    shards' tallies up and judges every threshold on the sum. `repeats` asks
    each item of every response check that sets no `repeats` of its own that
    many times. `prometheus` is the server prometheus_query checks ask, when
    one is configured. An `observer` sees every answer, every failed or errored
    item and every GET of the run (`--record`, `--report-html`). Each check
    lists its first `max_items` failed and errored items; the run's notes say
    which were cut. With a `limit`, only the first `limit` items of each corpus
    are asked (while writing checks).
    """
    chosen = with_repeats(project.suite_checks(suite), repeats)
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
        results[judge.check.id] = decide(judge)
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


run_suite = in_own_loop(run_suite_async)
"""`run_suite_async` in an event loop of its own, for a caller that has none."""


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
    project: Project,
    suite: str,
    shard: Shard | None = None,
    limit: int | None = None,
    repeats: int | None = None,
) -> int:
    """How many requests a run of `suite` asks the target for: a progress bar's total."""
    readers: dict[str, list[CheckSpec]] = {}
    for check in with_repeats(project.checks, repeats):
        if suite in check.suites and project.registry.kinds[check.kind].scope == "response":
            for corpus in check.corpora:
                readers.setdefault(corpus, []).append(check)
    count = 0
    for corpus, checks in readers.items():
        selectors = [check.select for check in checks]
        asks = max(check.repeats or 1 for check in checks)
        for block in first_blocks(iter_corpus_blocks(project.corpora[corpus]), limit):
            if shard is None and None in selectors:
                count += len(block) * asks  # every item is asked: counted without looking at one
                continue
            for item in block:
                if shard is not None and not shard.owns(item.id):
                    continue
                count += asks * (
                    None in selectors
                    or any(selector.matches(item) for selector in selectors if selector)
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
        async with _graders_open(judges):
            await _ask(project, judges, target, progress, items, unanswered, observer=observer)
    except TargetError as exc:
        for judge in judges:
            judge.crashed = judge.crashed or f"the target could not be used: {exc}"
    for judge in judges:
        results[judge.check.id] = decide(judge)
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
) -> list[Judge]:
    judges: list[Judge] = []
    for check in chosen:
        kind_class = project.registry.kinds[check.kind]
        if kind_class.scope != "response":
            continue
        kind, problem = start_kind(check, kind_class)
        if kind is not None and not isinstance(kind, ResponseKind):
            kind, problem = None, f"kind '{check.kind}' did not start as a ResponseKind"
        grader = None
        if isinstance(kind, GradedKind):
            config = project.config
            source = check.path if "judge" in check.params else config.path
            grader = Grader(kind, config.judge, config.root, source)
        judges.append(
            Judge(
                check, kind, Tally(cap=max_items), crashed=problem, observer=observer, grader=grader
            )
        )
    return judges


@contextlib.asynccontextmanager
async def _graders_open(judges: list[Judge]) -> AsyncIterator[None]:
    """Every graded check's judging endpoint, open for as long as the answers are judged."""
    async with contextlib.AsyncExitStack() as stack:
        for judge in judges:
            if judge.grader is not None:
                await stack.enter_async_context(judge.grader)
        yield


def _planned(
    blocks: Iterable[Sequence[CorpusItem]], readers: list[Judge], shard: Shard | None = None
) -> Iterator[Sequence[CorpusItem]]:
    """The items some check reads, a block at a time, counted into each reader's planned total.

    With a shard, the items of other shards are neither planned nor asked.
    """
    if (
        shard is None
        and all(judge.check.select is None for judge in readers)
        and len({judge.repeats for judge in readers}) == 1
    ):
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
    judges: list[Judge],
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
    async with target, _graders_open(judges):
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
    judges: list[Judge],
    target: Target,
    progress: Progress | None,
    items: Iterable[CorpusItem] | None = None,
    unanswered: Blame | None = None,
    shard: Shard | None = None,
    observer: RunObserver | None = None,
    limit: int | None = None,
) -> None:
    sources: list[tuple[Iterable[Sequence[CorpusItem]], list[Judge]]] = []
    if items is not None:
        asks = max((judge.repeats for judge in judges), default=1)
        sources.append((repeated([list(items)], asks), judges))
    else:
        by_corpus: dict[str, list[Judge]] = {}
        for judge in judges:
            for corpus in judge.check.corpora:
                by_corpus.setdefault(corpus, []).append(judge)
        for corpus in sorted(by_corpus):
            # Every repeat of an item is asked once, however many checks read it.
            asks = max(judge.repeats for judge in by_corpus[corpus])
            blocks = first_blocks(iter_corpus_blocks(project.corpora[corpus]), limit)
            sources.append((repeated(blocks, asks), by_corpus[corpus]))
    timeouts = [judge.check.timeout_s for judge in judges]
    spared = (_ask_each.__code__, *JUDGING_FRAMES)
    with CLOCK.ticking(timeouts, spared=spared), _fewer_collections():
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
    sources: list[tuple[Iterable[Sequence[CorpusItem]], list[Judge]]],
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
        selective = any(judge.check.select is not None for judge in readers) or (
            len({judge.repeats for judge in readers}) > 1
        )
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
                blamed(block, unanswered)
                if unanswered is not None and (block.missed or unanswered.sees_every_answer)
                else NOTHING_BLAMED
            )
            for judge in readers:
                if judge.grader is not None:
                    await grade_block(judge, block, failed)
                elif judge.repeats > 1:
                    judge_counted(judge, block, failed)
                elif judge.batched and not (selective or block.missed or judge.crashed):
                    judge_block(judge, block)
                else:
                    judge_each(judge, block, failed, selective)
            if progress is not None:
                progress(done, errors)
    for _source, readers in sources:
        for judge in readers:
            if judge.grader is not None and judge.grader.pending:
                await graded(judge)
