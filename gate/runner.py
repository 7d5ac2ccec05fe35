"""The run: plan the suite, collect each answer once, judge it for every check, decide."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from gate.checks import CheckSpec
from gate.context import RunContext
from gate.corpus import CorpusItem, iter_corpus
from gate.errors import GateError, InputError, InputErrors, TargetError
from gate.kinds.base import Measurement, ResponseKind, StaticKind
from gate.project import Project
from gate.provenance import provenance_of
from gate.results import CheckResult, RunResult
from gate.shard import Shard
from gate.status import Status
from gate.tally import Sample, Tally
from gate.targets import TARGET_TYPES, Answer, Target, TargetEnv

Progress = Callable[[int, int], None]  # (answers so far, errors so far)
# Sees every answer as it arrives; for one with no body, True means it is the
# service's failure (a user would have seen it), not an item the run could not judge.
Unanswered = Callable[[Answer], bool]


@dataclass
class _Judge:
    """A response check during a run: its kind and its growing tally."""

    check: CheckSpec
    kind: ResponseKind
    tally: Tally = field(default_factory=Tally)
    crashed: str | None = None
    started: float = field(default_factory=time.perf_counter)

    def wants(self, item: CorpusItem) -> bool:
        return self.check.select is None or self.check.select.matches(item)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _summary(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{exc.__class__.__name__}: {text}"[:300] if text else exc.__class__.__name__


def build_target(project: Project, url_override: str | None = None) -> Target:
    """The configured target, with the candidate manifest and any URL override."""
    settings = project.config.target
    env = TargetEnv(
        root=project.config.root,
        config_path=project.config.path,
        manifest=project.manifest.path.resolve() if project.manifest else None,
        url_override=url_override,
    )
    return TARGET_TYPES[settings["type"]](settings, env)


def run_suite(
    project: Project,
    suite: str,
    *,
    target: Target,
    progress: Progress | None = None,
    shard: Shard | None = None,
) -> RunResult:
    """Run one suite and return its result; the caller writes the reports.

    With a `shard`, only the corpus items of that shard are asked and judged,
    and static checks are judged in shard 1 alone; `gate merge` adds the
    shards' tallies up and judges every threshold on the sum.
    """
    if suite not in project.config.suites:
        raise InputError(
            project.config.path,
            f"suite '{suite}' is not defined; suites: {', '.join(project.config.suites)}",
            fix="pass --suite with one of them",
        )
    started_at, started = _now(), time.perf_counter()
    chosen = [check for check in project.checks if suite in check.suites]
    skipped = [
        CheckResult(check, Status.SKIPPED, message=f"not in suite '{suite}'")
        for check in project.checks
        if suite not in check.suites
    ]
    judges, results = _instantiate(project, chosen)
    notes: list[str] = []
    static = [check for check in chosen if project.registry.kinds[check.kind].scope == "static"]
    if shard is not None and not shard.judges_static:
        for check in static:
            results[check.id] = CheckResult(
                check, Status.SKIPPED, message=f"judged in shard 1/{shard.count}"
            )
    live = [c for c in static if c.id not in results and _reads_target(project, c)]
    try:
        asyncio.run(_collect(project, judges, target, progress, live, results, shard))
    except TargetError as exc:
        notes.append(str(exc))
        for judge in judges:
            judge.crashed = judge.crashed or f"the target could not be used: {exc}"
    for judge in judges:
        results[judge.check.id] = _decide(judge)
    context = run_context(project)
    for check in static:
        if check.id not in results:
            results[check.id] = _evaluate(check, project, context)
    ordered = [results[check.id] for check in chosen] + skipped
    manifest = project.manifest
    return RunResult(
        suite=suite,
        results=tuple(ordered),
        target=target.describe(),
        manifest=({"path": str(manifest.path), "version": manifest.version} if manifest else None),
        started_at=started_at,
        finished_at=_now(),
        duration_s=round(time.perf_counter() - started, 3),
        notes=tuple(notes),
        provenance=provenance_of(project),
        shard=shard,
        action_items={
            check.action_item: project.action_items[check.action_item].to_json()
            for check in project.checks
            if check.action_item in project.action_items
        },
    )


def run_context(project: Project, fetch: Callable[[str], str] | None = None) -> RunContext:
    """The context static kinds see; `fetch` is wired only while a target is open."""
    return RunContext(
        root=project.config.root,
        config=project.config,
        manifest=project.manifest,
        releases=project.releases,
        corpora=project.corpora,
        fetch=fetch,
    )


def _reads_target(project: Project, check: CheckSpec) -> bool:
    kind_class = project.registry.kinds[check.kind]
    return issubclass(kind_class, StaticKind) and kind_class.live_target


def _fetcher(target: Target) -> Callable[[str], str]:
    # Static kinds are synchronous and run in a worker thread, so their GET is
    # handed back to the event loop and shares the target's connection pool.
    loop = asyncio.get_running_loop()

    def fetch(path: str) -> str:
        return asyncio.run_coroutine_threadsafe(target.get(path), loop).result()

    return fetch


async def _evaluate_live(
    project: Project, checks: Sequence[CheckSpec], target: Target
) -> dict[str, CheckResult]:
    context = run_context(project, _fetcher(target))
    results: dict[str, CheckResult] = {}
    for check in checks:
        results[check.id] = await asyncio.to_thread(_evaluate, check, project, context)
    return results


async def judge_round(
    project: Project,
    checks: Sequence[CheckSpec],
    target: Target,
    *,
    items: Iterable[CorpusItem] | None = None,
    unanswered: Unanswered | None = None,
    progress: Progress | None = None,
) -> list[CheckResult]:
    """Judge `checks` once against a target that is already open (`async with target`).

    Several rounds can run inside one `async with target`, sharing its connection
    pool. `items`, when given, replaces the checks' corpora: every response check
    judges those items (its `select` still applies). `unanswered` decides whether
    an answer with no body is a failure of the service rather than an item that
    could not be judged; without it, every such item is `errored`. Static checks
    are evaluated too, with `fetch` reading the open target.
    """
    judges, results = _instantiate(project, list(checks))
    try:
        await _ask(project, judges, target, progress, items, unanswered)
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
    results.update(await _evaluate_live(project, static, target))
    return [results[check.id] for check in checks]


def _instantiate(
    project: Project, chosen: list[CheckSpec]
) -> tuple[list[_Judge], dict[str, CheckResult]]:
    judges: list[_Judge] = []
    failed: dict[str, CheckResult] = {}
    for check in chosen:
        kind_class = project.registry.kinds[check.kind]
        if kind_class.scope != "response":
            continue
        try:
            kind = kind_class(check.params)
        except Exception as exc:  # a plugin's constructor may fail in any way
            failed[check.id] = CheckResult(
                check,
                Status.ERROR,
                message=f"kind '{check.kind}' failed to start: {_summary(exc)}",
                crashed=True,
            )
            continue
        assert isinstance(kind, ResponseKind)
        judges.append(_Judge(check, kind))
    return judges, failed


def _planned(
    items: Iterable[CorpusItem], readers: list[_Judge], shard: Shard | None = None
) -> Iterator[CorpusItem]:
    """The items some check reads, counted into each reader's planned total.

    With a shard, the items of other shards are neither planned nor asked.
    """
    for item in items:
        if shard is not None and not shard.owns(item.id):
            continue
        wanted = False
        for judge in readers:
            if judge.wants(item):
                judge.tally.total += 1
                wanted = True
        if wanted:
            yield item


async def _collect(
    project: Project,
    judges: list[_Judge],
    target: Target,
    progress: Progress | None,
    live: list[CheckSpec],
    results: dict[str, CheckResult],
    shard: Shard | None = None,
) -> None:
    if not any(judge.check.corpora for judge in judges) and not live:
        return
    async with target:
        await _ask(project, judges, target, progress, shard=shard)
        # Checks that read the live service run while it is still up.
        results.update(await _evaluate_live(project, live, target))


async def _ask(
    project: Project,
    judges: list[_Judge],
    target: Target,
    progress: Progress | None,
    items: Iterable[CorpusItem] | None = None,
    unanswered: Unanswered | None = None,
    shard: Shard | None = None,
) -> None:
    sources: list[tuple[Iterable[CorpusItem], list[_Judge]]] = []
    if items is not None:
        sources.append((items, judges))
    else:
        by_corpus: dict[str, list[_Judge]] = {}
        for judge in judges:
            for corpus in judge.check.corpora:
                by_corpus.setdefault(corpus, []).append(judge)
        for corpus in sorted(by_corpus):
            sources.append((iter_corpus(project.corpora[corpus]), by_corpus[corpus]))
    done = errors = 0
    for source, readers in sources:
        if not readers:
            continue
        # Each item is asked once, however many checks read its answer.
        async for item, answer in target.answers(_planned(source, readers, shard)):
            done += 1
            failed = unanswered is not None and unanswered(answer)
            if answer.body is None:
                errors += 1
            for judge in readers:
                if judge.wants(item):
                    _judge_one(judge, item, answer.body, answer.error, answer.cause, failed)
            if progress is not None:
                progress(done, errors)


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
        # The service answered badly (a 5xx, a timeout, a body that is not
        # JSON): judged, and failed, since a user would have seen it.
        tally.failed += 1
        tally.add_sample(Sample(item.corpus, item.line, item.id, "failed", error))
        return
    if body is None or judge.crashed:
        cause = cause if body is None else "kind_error"
        tally.errored += 1
        tally.causes[cause] = tally.causes.get(cause, 0) + 1
        if body is None:
            tally.add_sample(Sample(item.corpus, item.line, item.id, "errored", error))
        return
    try:
        verdict = judge.kind.judge(item, body)  # type: ignore[arg-type]
    except Exception as exc:  # a kind that raises is isolated: its check is an error
        judge.crashed = f"kind '{judge.check.kind}' raised on item {item.id}: {_summary(exc)}"
        tally.errored += 1
        tally.causes["kind_error"] = tally.causes.get("kind_error", 0) + 1
        return
    if verdict.ok:
        tally.passed += 1
    else:
        tally.failed += 1
        tally.add_sample(Sample(item.corpus, item.line, item.id, "failed", verdict.reason))
    if verdict.sums:
        sums = tally.sums
        for key, value in verdict.sums.items():
            sums[key] = sums.get(key, 0.0) + value


def decide_tally(check: CheckSpec, kind: ResponseKind, tally: Tally) -> Measurement:
    """Apply fail-closed rules, then the kind's own bar, to a tally (fresh or merged)."""
    if tally.total == 0:
        return Measurement(
            Status.ERROR, None, None, "no corpus item was planned for this check: nothing judged"
        )
    if not tally.accounted:
        return Measurement(
            Status.ERROR,
            None,
            None,
            f"{tally.total} items planned but {tally.passed + tally.failed + tally.errored} "
            "accounted for: answers were lost",
        )
    if tally.errored and tally.errored / tally.total > check.max_error_rate:
        causes = ", ".join(f"{cause} {count}" for cause, count in sorted(tally.causes.items()))
        return Measurement(
            Status.ERROR,
            None,
            None,
            f"{tally.errored} of {tally.total} items could not be judged ({causes}); "
            f"max_error_rate is {check.max_error_rate:.2%}",
        )
    if tally.judged == 0:
        return Measurement(Status.ERROR, None, None, "zero items were judged")
    try:
        return kind.verdict(tally)
    except Exception as exc:  # a plugin's verdict may fail in any way
        return Measurement(Status.ERROR, None, None, f"the kind's verdict raised {_summary(exc)}")


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
    measurement = decide_tally(judge.check, judge.kind, judge.tally)
    return CheckResult(
        judge.check,
        measurement.status,
        measured=measurement.measured,
        limit=measurement.limit,
        message=measurement.message,
        tally=judge.tally,
        details=measurement.details,
        duration_s=elapsed,
    )


def _evaluate(check: CheckSpec, project: Project, context: RunContext) -> CheckResult:
    started = time.perf_counter()
    kind_class = project.registry.kinds[check.kind]
    try:
        kind = kind_class(check.params)
        assert isinstance(kind, StaticKind)
        measurement = kind.evaluate(context)
    except (InputError, InputErrors, GateError) as exc:
        measurement = Measurement(Status.ERROR, None, None, str(exc))
    except Exception as exc:  # a kind that raises is isolated: its check is an error
        measurement = Measurement(
            Status.ERROR, None, None, f"kind '{check.kind}' raised {_summary(exc)}"
        )
    return CheckResult(
        check,
        measurement.status,
        measured=measurement.measured,
        limit=measurement.limit,
        message=measurement.message,
        details=measurement.details,
        duration_s=round(time.perf_counter() - started, 3),
    )
