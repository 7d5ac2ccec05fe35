"""Results are values: what each check found, and what the run as a whole decided."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from gate.checks import CheckSpec
from gate.status import ExitCode, Status, exit_code_for
from gate.tally import Tally

if TYPE_CHECKING:
    from gate.provenance import Provenance
    from gate.shard import Shard


@dataclass(frozen=True)
class CheckResult:
    """One check's outcome: status, measured value against its limit, and the evidence."""

    check: CheckSpec
    status: Status
    measured: float | int | str | None = None
    limit: str | None = None
    message: str = ""
    tally: Tally | None = None  # response checks only
    details: Mapping[str, Any] = field(default_factory=dict)
    duration_s: float = 0.0
    # The check stopped before its tally was complete (its kind failed to start
    # or raised, or the target was lost): no sum of shards can make it judged.
    crashed: bool = False


@dataclass(frozen=True)
class RunResult:
    """A finished run. Reporters format it; they never decide pass or fail."""

    suite: str
    results: tuple[CheckResult, ...]
    target: Mapping[str, Any]
    manifest: Mapping[str, Any] | None
    started_at: str
    finished_at: str
    duration_s: float
    notes: tuple[str, ...] = ()
    provenance: Provenance | None = None  # what was judged, so merge can refuse a mix
    shard: Shard | None = None  # the part of every corpus this run judged; None for all
    shards_merged: int = 0  # how many shard reports `gate merge` added up into this one
    # What each check's action item says (owner, due, postmortem title, ...), by reference.
    action_items: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def action_item(self, ref: str) -> Mapping[str, Any]:
        """The action item behind a check, or just its reference when it is not known."""
        return self.action_items.get(ref) or {"ref": ref}

    @property
    def unaccounted(self) -> list[CheckResult]:
        """Response checks whose planned items are not all passed, failed or errored."""
        return [r for r in self.results if r.tally is not None and not r.tally.accounted]

    def accounting(self) -> dict[str, Any]:
        """The report's `accounting`: whether every planned item of every tally is accounted for.

        When it does not hold, the run lost answers somewhere, so none of its
        verdicts can be trusted and the exit is 3 whatever else was found.
        """
        tallied = [r for r in self.results if r.tally is not None]
        broken = []
        for result in self.unaccounted:
            tally = result.tally
            assert tally is not None
            broken.append(
                {
                    "check": result.check.id,
                    "planned": tally.total,
                    "accounted": tally.passed + tally.failed + tally.errored,
                }
            )
        return {
            "holds": not broken,
            "checks": len(tallied),
            "items": sum(r.tally.total for r in tallied if r.tally is not None),
            "broken": broken,
        }

    @property
    def exit_code(self) -> ExitCode:
        if self.unaccounted:
            return ExitCode.UNJUDGED
        return exit_code_for([(result.status, result.check.blocking) for result in self.results])

    @property
    def verdict(self) -> str:
        return {
            ExitCode.OK: "pass",
            ExitCode.BLOCKED: "fail",
            ExitCode.UNJUDGED: "error",
        }.get(self.exit_code, "error")

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        for result in self.results:
            counts[result.status.value] += 1
        return counts
