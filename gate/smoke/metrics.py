"""The bake's own results as Prometheus metrics: a textfile for node-exporter, or a push.

Metrics (labels `check` and `action_item` on the per-check ones):

- gate_smoke_check_rounds_total{status}: rounds judged per check and status
- gate_smoke_check_items_total{outcome}: items per check that passed, failed or errored
- gate_smoke_check_measured: the last round's measured value of each check
- gate_smoke_check_failed_rounds: failed rounds so far, against its failure_limit
- gate_smoke_bake_progress_ratio: rounds done over rounds planned
- gate_smoke_bake_rounds, gate_smoke_bake_rounds_planned: rounds done and planned
- gate_smoke_bake_outcome{outcome}: 1 for the current outcome (running, pass, fail, inconclusive)
- gate_smoke_detection_bound_seconds: the worst-case detection time the settings imply
- gate_smoke_last_round_timestamp_seconds: when the last round finished
"""

from __future__ import annotations

import contextlib
import urllib.error
from collections.abc import Iterable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, push_to_gateway, write_to_textfile
from prometheus_client.metrics_core import Metric

from gate.checks import CheckSpec
from gate.status import Status
from gate.tally import Tally

OUTCOMES = ("running", "pass", "fail", "inconclusive")
JOB = "gate_smoke"


class _Registry(CollectorRegistry):
    """A private registry without the `*_created` series: alerts read rates, not creation times."""

    def collect(self) -> Iterator[Metric]:
        for family in super().collect():
            family.samples = [s for s in family.samples if not s.name.endswith("_created")]
            yield family


class BakeMetrics:
    """A private registry holding one bake's metrics."""

    def __init__(self, checks: Iterable[CheckSpec], rounds_planned: int, bound_s: float | None):
        self.registry = registry = _Registry()
        labels = ["check", "action_item"]
        self.rounds = Counter(
            "gate_smoke_check_rounds",
            "Smoke rounds judged, per check and status.",
            [*labels, "status"],
            registry=registry,
        )
        self.items = Counter(
            "gate_smoke_check_items",
            "Items judged in smoke rounds, per check and outcome.",
            [*labels, "outcome"],
            registry=registry,
        )
        self.measured = Gauge(
            "gate_smoke_check_measured",
            "The last round's measured value of each check.",
            labels,
            registry=registry,
        )
        self.failed_rounds = Gauge(
            "gate_smoke_check_failed_rounds",
            "Failed rounds of each check so far in this bake.",
            labels,
            registry=registry,
        )
        self.progress = Gauge(
            "gate_smoke_bake_progress_ratio", "Rounds done over rounds planned.", registry=registry
        )
        self.done = Gauge("gate_smoke_bake_rounds", "Rounds done.", registry=registry)
        planned = Gauge("gate_smoke_bake_rounds_planned", "Rounds planned.", registry=registry)
        self.outcome = Gauge(
            "gate_smoke_bake_outcome",
            "1 for the bake's current outcome: running, pass, fail or inconclusive.",
            ["outcome"],
            registry=registry,
        )
        bound = Gauge(
            "gate_smoke_detection_bound_seconds",
            "The latest a release bad from the deploy gets its rollback signal.",
            registry=registry,
        )
        self.last_round = Gauge(
            "gate_smoke_last_round_timestamp_seconds",
            "When the last smoke round finished, in Unix time.",
            registry=registry,
        )
        self.planned = rounds_planned
        planned.set(rounds_planned)
        if bound_s is not None:
            bound.set(bound_s)
        # Every series exists from the start at zero, so rate() and alerts on
        # them are defined before the first failure.
        for check in checks:
            for status in (Status.PASS, Status.FAIL, Status.ERROR):
                self.rounds.labels(check.id, check.action_item, status.value)
            for outcome in ("passed", "failed", "errored"):
                self.items.labels(check.id, check.action_item, outcome)
            self.failed_rounds.labels(check.id, check.action_item)
        self.set_outcome("running")

    def set_outcome(self, outcome: str) -> None:
        for name in OUTCOMES:
            self.outcome.labels(name).set(1 if name == outcome else 0)

    def observe(
        self,
        check: CheckSpec,
        status: Status,
        measured: float | int | str | None,
        tally: Tally | None,
        failed_rounds: int,
    ) -> None:
        """Count one check's round."""
        labels = (check.id, check.action_item)
        self.rounds.labels(*labels, status.value).inc()
        if tally is not None:
            for outcome in ("passed", "failed", "errored"):
                self.items.labels(*labels, outcome).inc(getattr(tally, outcome))
        if isinstance(measured, int | float) and not isinstance(measured, bool):
            self.measured.labels(*labels).set(measured)
        else:
            # A round with nothing measured must not leave the previous value standing.
            with contextlib.suppress(KeyError):
                self.measured.remove(*labels)
        self.failed_rounds.labels(*labels).set(failed_rounds)

    def round_done(self, number: int) -> None:
        self.done.set(number)
        self.progress.set(number / self.planned)
        self.last_round.set_to_current_time()

    def write(self, path: str) -> None:
        """Write the textfile; prometheus_client writes a temporary file and renames it."""
        write_to_textfile(path, self.registry)

    def push(self, gateway: str, grouping: Mapping[str, str]) -> str | None:
        """Push to a Pushgateway, replacing this bake's group; the reason when it failed."""
        try:
            push_to_gateway(
                gateway, job=JOB, registry=self.registry, grouping_key=dict(grouping), timeout=10
            )
        except (OSError, urllib.error.URLError, ValueError) as exc:
            return f"{exc.__class__.__name__}: {exc}"
        return None
