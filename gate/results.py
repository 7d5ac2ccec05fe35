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
    def exit_code(self) -> ExitCode:
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
