"""How a bake ended, in words: the reason in the report, and the rollback hook's environment."""

from __future__ import annotations

from collections.abc import Sized
from typing import Protocol

from gate.results import CheckResult, RunResult
from gate.smoke.evidence import Evidence
from gate.status import Status
from gate.words import counted


class Bake(Protocol):
    """What the words of an ending read of a bake (gate.smoke.bake.Bake is one).

    Declared here, so this module needs nothing from the one that runs the bake.
    """

    id: str  # the bake's id, on every line of its evidence
    evidence: Evidence
    outcome: str  # running, pass, fail or inconclusive
    cut_short: str | None  # the signal that stopped it
    broken: str | None  # why the target could not be used at all

    @property
    def records(self) -> Sized: ...  # one per round run

    def cut_text(self) -> str | None: ...  # the signal, and how many rounds it let run


def hook_env(bake: Bake, run: RunResult) -> dict[str, str]:
    """What the on-fail command finds in its environment, besides the gate's own."""
    failed = [r.check for r in run.results if r.status is Status.FAIL and r.check.blocking]
    return {
        "GATE_REPORT": str(bake.evidence.report_path),
        "GATE_EVENT_LOG": str(bake.evidence.outputs.event_log or ""),
        "GATE_VERDICT": "fail",
        "GATE_BAKE_ID": bake.id,
        "GATE_FAILED_CHECKS": ",".join(check.id for check in failed),
        "GATE_ACTION_ITEMS": ",".join(sorted({check.action_item for check in failed})),
    }


def reason(bake: Bake, run: RunResult) -> str:
    """Why the bake ended as it did, in a sentence for the report and the console."""

    def deciding(status: Status) -> list[CheckResult]:
        return [r for r in run.results if r.check.blocking and r.status is status]

    if bake.outcome == "fail":
        return "; ".join(
            f"{r.check.id}: {r.message} [{r.check.action_item}]" for r in deciding(Status.FAIL)
        )
    if bake.cut_short is not None:
        return f"cut short by {bake.cut_text()}: a bake that did not finish cannot pass"
    if bake.broken is not None:
        return f"the target could not be used: {bake.broken}"
    if bake.outcome == "inconclusive":
        return "; ".join(f"{r.check.id}: {r.message}" for r in deciding(Status.ERROR))
    return f"every deciding check passed {counted(len(bake.records), 'round')}"
