"""One check watched over a bake: its rounds, its limits, and the final word on it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from gate.checks import CheckSpec
from gate.kinds.base import ResponseKind
from gate.project import Project
from gate.results import CheckResult
from gate.smoke.settings import Limits
from gate.status import Status
from gate.tally import Tally
from gate.verdicts import decide_tally, start_kind
from gate.words import counted

FAIL_LIMITS = ("failure_limit", "consecutive_failure_limit")


class Crossing(NamedTuple):
    """A limit crossed in a round: which, how many rounds counted, how many were allowed."""

    check: CheckSpec
    limit: str
    rounds: int
    allowed: int
    round: int
    decides: bool

    def describe(self) -> str:
        what = {
            "failure_limit": "failed round{s}",
            "consecutive_failure_limit": "failed round{s} in a row",
            "consecutive_error_limit": "unjudged round{s} in a row",
        }[self.limit].format(s="" if self.rounds == 1 else "s")
        return f"{self.rounds} {what}, above {self.limit} {self.allowed}"


@dataclass
class Watch:
    """A check's rounds so far. Only a check that decides can stop the bake."""

    check: CheckSpec
    limits: Limits
    decides: bool
    kind: ResponseKind | None = None  # for the verdict on the whole bake's tally
    statuses: list[Status] = field(default_factory=list)
    tally: Tally | None = None  # response checks: every round's tally added up
    first_round_planned: int | None = None
    consecutive_failed: int = 0
    consecutive_errored: int = 0
    first_failed_round: int | None = None
    crossed: dict[str, Crossing] = field(default_factory=dict)
    last: CheckResult | None = None

    def count(self, status: Status) -> int:
        return self.statuses.count(status)

    @property
    def failed(self) -> bool:
        """A failure limit is crossed: the release is bad."""
        return any(limit in self.crossed for limit in FAIL_LIMITS)

    def observe(self, number: int, result: CheckResult) -> list[Crossing]:
        """Take one round's result; return the limits it crossed for the first time."""
        self.last = result
        status = result.status
        self.statuses.append(status)
        if result.tally is not None:
            self.tally = result.tally if self.tally is None else self.tally.merge(result.tally)
            if self.first_round_planned is None:
                self.first_round_planned = result.tally.total
        self.consecutive_failed = self.consecutive_failed + 1 if status is Status.FAIL else 0
        self.consecutive_errored = self.consecutive_errored + 1 if status is Status.ERROR else 0
        if status is Status.FAIL and self.first_failed_round is None:
            self.first_failed_round = number
        limits = self.limits
        counts = {
            "failure_limit": (self.count(Status.FAIL), limits.failure_limit),
            "consecutive_failure_limit": (
                self.consecutive_failed,
                limits.consecutive_failure_limit,
            ),
            "consecutive_error_limit": (self.consecutive_errored, limits.consecutive_error_limit),
        }
        new = []
        for limit, (rounds, allowed) in counts.items():
            if allowed is not None and rounds > allowed and limit not in self.crossed:
                crossing = Crossing(self.check, limit, rounds, allowed, number, self.decides)
                self.crossed[limit] = crossing
                new.append(crossing)
        return new

    def result(
        self, *, running: bool, cut_short: str | None, min_judged: int | None
    ) -> CheckResult:
        """The check's word on the bake so far (`running`) or on the whole bake."""
        status, message = self._status(running, cut_short, min_judged)
        details: dict[str, Any] = {
            "rounds": {s.value: self.count(s) for s in (Status.PASS, Status.FAIL, Status.ERROR)},
            "limits": self.limits.to_json(),
            "crossed": [
                {"limit": c.limit, "rounds": c.rounds, "allowed": c.allowed, "round": c.round}
                for c in self.crossed.values()
            ],
            "dry_run": not self.decides and self.check.blocking,
        }
        if self.last is not None:
            details["last_round"] = {
                "status": self.last.status.value,
                "measured": self.last.measured,
                "limit": self.last.limit,
                "message": self.last.message,
            }
        if self.tally is not None and self.kind is not None and self.tally.total:
            whole = decide_tally(self.check, self.kind, self.tally)
            details["bake"] = {"measured": whole.measured, "message": whole.message}
        # A check that does not decide is reported as advisory, so it never sets the exit code.
        check = self.check if self.decides else dataclasses.replace(self.check, blocking=False)
        return CheckResult(
            check,
            status,
            measured=self.count(Status.FAIL),
            limit=self.limits.describe(),
            message=message,
            tally=self.tally,
            details=details,
        )

    def _status(
        self, running: bool, cut_short: str | None, min_judged: int | None
    ) -> tuple[Status, str]:
        rounds = len(self.statuses)
        for limit in (*FAIL_LIMITS, "consecutive_error_limit"):
            crossing = self.crossed.get(limit)
            if crossing is not None:
                status = Status.FAIL if limit in FAIL_LIMITS else Status.ERROR
                return status, f"{crossing.describe()} (round {crossing.round}): {self._last()}"
        summary = (
            f"no limit crossed in {counted(rounds, 'round')} ({self.count(Status.FAIL)} failed)"
        )
        if running:
            return Status.ERROR, f"the bake is still running: {summary} so far"
        if cut_short is not None:
            return Status.ERROR, f"the bake was cut short ({cut_short}): {summary}; it cannot pass"
        judged_rounds = self.count(Status.PASS) + self.count(Status.FAIL)
        if not judged_rounds:
            return Status.ERROR, f"no round judged this check in {counted(rounds, 'round')}"
        if self.tally is not None:
            needed = min_judged if min_judged is not None else self.first_round_planned or 1
            if self.tally.judged < needed:
                return Status.ERROR, (
                    f"{counted(self.tally.judged, 'item')} judged over the bake; a pass needs "
                    f"at least {needed} (min_judged)"
                )
        return Status.PASS, summary

    def _last(self) -> str:
        return self.last.message if self.last is not None else ""


def response_kind(project: Project, check: CheckSpec) -> ResponseKind | None:
    """The kind instance that can re-judge a check's whole tally; None for static kinds."""
    kind_class = project.registry.kinds[check.kind]
    if not issubclass(kind_class, ResponseKind):
        return None
    # A kind that cannot start is an error in every round, and so in the bake.
    kind, _problem = start_kind(check, kind_class)
    return kind if isinstance(kind, ResponseKind) else None
