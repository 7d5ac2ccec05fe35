"""The bake: rounds over one open target until the end, a crossed limit, or a signal."""

from __future__ import annotations

import asyncio
import secrets
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from gate.corpus import CorpusItem
from gate.errors import TargetError
from gate.project import Project
from gate.provenance import provenance_of
from gate.results import CheckResult, RunResult
from gate.runner import judge_round
from gate.smoke.events import utc_now
from gate.smoke.evidence import Evidence, Outputs
from gate.smoke.hook import HookResult, run_hook
from gate.smoke.outcome import hook_env, reason
from gate.smoke.report import RoundRecord
from gate.smoke.sampling import RoundItems
from gate.smoke.settings import BakeSettings, checks_json, settings_json
from gate.smoke.signals import Stopper
from gate.smoke.unanswered import Unanswered
from gate.smoke.watch import FAIL_LIMITS, Crossing, Watch, response_kind
from gate.status import ExitCode, Status
from gate.targets import Target
from gate.words import counted

if TYPE_CHECKING:
    from gate.prometheus import Prometheus

OUTCOME_FOR = {ExitCode.OK: "pass", ExitCode.BLOCKED: "fail"}

__all__ = ["Bake", "Observer", "Outputs"]


class Observer(Protocol):
    """Someone watching the bake as it goes: the progress display, or a test."""

    def bake_started(self, bake: Bake) -> None: ...
    def round_started(self, bake: Bake, number: int) -> None: ...
    def round_finished(self, bake: Bake, record: RoundRecord) -> None: ...
    def limit_crossed(self, bake: Bake, crossing: Crossing) -> None: ...


class Bake:
    """One bake of a live service: build it (bad input raises at once), then `run()` it."""

    def __init__(
        self,
        project: Project,
        settings: BakeSettings,
        target: Target,
        outputs: Outputs,
        observer: Observer | None = None,
        prometheus: Prometheus | None = None,
    ) -> None:
        self.project = project
        self.prometheus = prometheus  # asked by prometheus_query checks every round
        self.settings = settings
        self.target = target
        self.observer = observer
        self.items = RoundItems(
            settings.corpus, settings.sample_from, settings.sample_count, settings.seed
        )
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.id = f"{stamp}-{secrets.token_hex(3)}"
        self.watches = {
            check.id: Watch(
                check,
                settings.limits[check.id],
                settings.decides(check),
                kind=response_kind(project, check),
            )
            for check in settings.checks
        }
        self.deciding = frozenset(c.id for c in settings.checks if settings.decides(c))
        grouping = {"service": project.config.name, "suite": settings.suite}
        self.evidence = Evidence(
            outputs, self.id, settings.checks, settings.rounds, settings.detection_bound_s, grouping
        )
        self.records: list[RoundRecord] = []
        self.unanswered = Unanswered()
        self.outcome = "running"
        self.reason = ""
        self.cut_short: str | None = None  # the signal that stopped the bake
        self.broken: str | None = None  # why the target could not be used at all
        self.detection: dict[str, Any] | None = None
        self.hook: HookResult | None = None
        self.started_at = utc_now()
        self._t0 = time.perf_counter()
        self._round_t0: dict[int, float] = {}
        self._task: asyncio.Task[Any] | None = None
        self._stopper = Stopper(self._stop)
        self._provenance = provenance_of(project)
        self._action_items = {
            check.action_item: project.action_items[check.action_item].to_json()
            for check in settings.checks
            if check.action_item in project.action_items
        }

    def run(self) -> RunResult:
        """Run every round, stop early on a crossed limit or a signal, write the evidence."""
        with self._stopper.installed():
            self._save(running=True, first=True)
            self.evidence.events.write(
                "bake_started",
                suite=self.settings.suite,
                target=self.target.describe(),
                prometheus=self.prometheus.describe() if self.prometheus else None,
                settings=settings_json(self.settings),
                checks=checks_json(self.settings),
            )
            if self.observer is not None:
                self.observer.bake_started(self)
            self.evidence.push()
            asyncio.run(self._main())
            return self._finish()

    def cut_text(self) -> str | None:
        """`SIGTERM after 3 of 10 rounds`, when a signal cut the bake short."""
        if self.cut_short is None:
            return None
        planned = counted(self.settings.rounds, "round")
        return f"{self.cut_short} after {len(self.records)} of {planned}"

    def _stop(self, name: str) -> None:
        if self.cut_short is None and self.outcome == "running":
            self.cut_short = name
            if self._task is not None:
                self._task.cancel()

    # -- rounds ----------------------------------------------------------------

    async def _main(self) -> None:
        self._task = asyncio.current_task()
        try:
            with self._stopper.in_loop(asyncio.get_running_loop()):
                if self.cut_short is None:
                    async with self.target:
                        await self._rounds()
        except asyncio.CancelledError:
            if self.cut_short is None:
                raise
        except TargetError as exc:
            # A launched service's output may quote a request: mask its secrets.
            self.broken = self.target.redact(str(exc))
            self.evidence.note(self.broken)
        finally:
            self._task = None

    async def _rounds(self) -> None:
        settings = self.settings
        loop = asyncio.get_running_loop()
        await asyncio.sleep(settings.initial_delay_s)
        for number in range(1, settings.rounds + 1):
            started = loop.time()
            self._round_t0[number] = time.perf_counter()
            if self.observer is not None:
                self.observer.round_started(self, number)
            items = self.items.for_round(number)
            started_at = utc_now()
            self.unanswered.begin_round()
            results = await judge_round(
                self.project,
                settings.checks,
                self.target,
                items=items,
                unanswered=self.unanswered,
                prometheus=self.prometheus,
            )
            if self._record(number, started_at, items, results):
                return
            await asyncio.to_thread(self.evidence.push)
            if number < settings.rounds:
                # Rounds never overlap: a slow round delays the next one.
                await asyncio.sleep(max(0.0, started + settings.interval_s - loop.time()))

    def _record(
        self, number: int, started_at: str, items: list[CorpusItem], results: list[CheckResult]
    ) -> bool:
        """Keep one round; True when a deciding check crossed a limit and the bake stops."""
        record = RoundRecord(
            number=number,
            started_at=started_at,
            finished_at=utc_now(),
            duration_s=round(time.perf_counter() - self._round_t0[number], 3),
            items=len(items),
            sampled=tuple(item.id for item in items[len(self.items.fixed) :]),
            failed=dict(self.unanswered.failed),
            errored=dict(self.unanswered.errored),
            results=tuple(results),
            deciding=self.deciding,
        )
        self.records.append(record)
        events, metrics = self.evidence.events, self.evidence.metrics
        crossings: list[tuple[Crossing, CheckResult]] = []
        for result in results:
            watch = self.watches[result.check.id]
            crossings.extend((crossing, result) for crossing in watch.observe(number, result))
            failed_rounds = watch.count(Status.FAIL)
            metrics.observe(
                result.check, result.status, result.measured, result.tally, failed_rounds
            )
        metrics.round_done(number)
        events.write("round", **record.to_json())
        if record.duration_s > self.settings.interval_s:
            self.evidence.note(
                f"round {number} took {record.duration_s:.1f} s, longer than the "
                f"{self.settings.interval_s:g} s interval: the rounds after it started late, "
                "so detection can take longer than the bound"
            )
        if self.observer is not None:
            self.observer.round_finished(self, record)
        stop = False
        for crossing, result in crossings:
            events.write(
                "limit_crossed",
                round=number,
                check=crossing.check.id,
                action_item=crossing.check.action_item,
                limit=crossing.limit,
                rounds=crossing.rounds,
                allowed=crossing.allowed,
                decides=crossing.decides,
                measured=result.measured,
                message=result.message,
            )
            if self.observer is not None:
                self.observer.limit_crossed(self, crossing)
            if crossing.decides:
                stop = True
                if crossing.limit in FAIL_LIMITS and self.detection is None:
                    self.detection = self._detection(crossing)
        self._save(running=not stop)
        return stop

    def _detection(self, crossing: Crossing) -> dict[str, Any]:
        now = time.perf_counter()
        first = self.watches[crossing.check.id].first_failed_round or crossing.round
        return {
            "check": crossing.check.id,
            "action_item": crossing.check.action_item,
            "limit": crossing.limit,
            "round": crossing.round,
            "signal_at": utc_now(),
            "since_start_s": round(now - self._t0, 3),
            "first_failed_round": first,
            "since_first_failed_round_s": round(now - self._round_t0[first], 3),
            "bound_s": self.settings.detection_bound_s,
        }

    # -- results ---------------------------------------------------------------

    def result(self, *, running: bool) -> RunResult:
        """The bake as a run: each check's word on the rounds so far."""
        manifest = self.project.manifest
        min_judged, cut = self.settings.min_judged, self.cut_text()
        return RunResult(
            suite=self.settings.suite,
            results=tuple(
                watch.result(running=running, cut_short=cut, min_judged=min_judged)
                for watch in self.watches.values()
            ),
            target=self.target.describe(),
            manifest={"path": str(manifest.path), "version": manifest.version}
            if manifest
            else None,
            started_at=self.started_at,
            finished_at=utc_now(),
            duration_s=round(time.perf_counter() - self._t0, 3),
            notes=tuple(self.evidence.notes),
            provenance=self._provenance,
            action_items=self._action_items,
        )

    def bake_json(self) -> dict[str, Any]:
        """The report's `bake` section."""
        return {
            "id": self.id,
            "outcome": self.outcome,
            "reason": self.reason,
            "settings": settings_json(self.settings),
            "rounds_done": len(self.records),
            "cut_short": self.cut_short,
            "detection": self.detection,
            "on_fail": self.hook.to_json() if self.hook else None,
            "event_log": str(self.evidence.outputs.event_log or "") or None,
        }

    def _save(self, *, running: bool, first: bool = False, run: RunResult | None = None) -> None:
        run = run or self.result(running=running)
        self.evidence.save(run, self.bake_json(), self.records, first=first)

    def _finish(self) -> RunResult:
        run = self.result(running=False)
        self.outcome = OUTCOME_FOR.get(run.exit_code, "inconclusive")
        self.reason = reason(self, run)
        evidence = self.evidence
        evidence.metrics.set_outcome(self.outcome)
        command = evidence.outputs.on_fail
        if self.outcome == "fail" and command:
            if evidence.report_path is None:
                # The hook is promised a report, so it gets one even without --report-json.
                evidence.report_path = Path(tempfile.mkdtemp(prefix="gate-smoke-")) / "report.json"
            self._save(running=False, run=run)
            self.hook = run_hook(command, hook_env(self, run), evidence.outputs.on_fail_timeout_s)
            evidence.events.write("on_fail", **self.hook.to_json())
        self._save(running=False, run=run)
        evidence.push()
        evidence.events.write(
            "bake_finished",
            outcome=self.outcome,
            exit_code=int(run.exit_code),
            reason=self.reason,
            rounds_done=len(self.records),
            cut_short=self.cut_short,
            detection=self.detection,
            report=str(evidence.report_path) if evidence.report_path else None,
        )
        evidence.events.close()
        return run
