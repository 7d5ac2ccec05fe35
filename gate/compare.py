"""Comparing two reports of one suite: each check then and now, and the items that changed.

A candidate is compared with the last release's report: per check, the
measured value and status in each, and the items newly failing and newly
fixed, by item id, from the items each report lists. It decides nothing about
the candidate itself; it says whether anything got worse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.errors import InputError
from gate.status import ExitCode

# How bad a status is, for "got worse": an unjudged check is worse than a
# passing one, a failing one worse still. A check a report does not have counts
# as passing there, so a new check that fails got worse.
_RANK = {"pass": 0, "skipped": 0, "error": 1, "fail": 2}


def load_baseline(path: Path, suite: str, against: str = "this run") -> Mapping[str, Any]:
    """The base report for `gate run --baseline` (read before the run) or `gate pr-comment`:
    exit 2 if it cannot serve, as when it is of another suite than `against`."""
    from gate.shardset import load_report

    data = load_report(path).data
    if data["suite"] != suite:
        raise InputError(
            path,
            f"is a report of suite '{data['suite']}', but {against} is of suite '{suite}'",
            fix="compare with a report of the same suite",
        )
    return data


def _listed(entry: Mapping[str, Any] | None, outcome: str | None = None) -> dict[str, str]:
    """The items a check entry lists, by id, with their corpus:line; of one outcome if given."""
    if entry is None:
        return {}
    return {
        str(sample["item"]): f"{sample['corpus']}:{sample['line']}"
        for sample in entry.get("samples", ())
        if outcome is None or sample.get("outcome") == outcome
    }


@dataclass(frozen=True)
class CheckChange:
    """One check in the base report and in the candidate's (either may lack it)."""

    id: str
    base: Mapping[str, Any] | None
    now: Mapping[str, Any] | None
    newly_failing: tuple[tuple[str, str], ...]  # (item id, corpus:line), in the candidate's order
    newly_fixed: tuple[tuple[str, str], ...]  # failed in the base, neither failed nor errored now

    @property
    def blocking(self) -> bool:
        entry = self.now if self.now is not None else self.base
        return bool(entry and entry.get("blocking", True))

    @property
    def status_then(self) -> str | None:
        return str(self.base["status"]) if self.base is not None else None

    @property
    def status_now(self) -> str | None:
        return str(self.now["status"]) if self.now is not None else None

    @property
    def worse(self) -> bool:
        """The status moved towards fail: pass or skipped, then error, then fail."""
        if self.now is None:
            return False
        return _RANK.get(self.status_now or "", 1) > _RANK.get(self.status_then or "pass", 1)

    @property
    def blocks(self) -> bool:
        """A blocking check got worse, or some item newly fails it."""
        return self.blocking and (self.worse or bool(self.newly_failing))

    @property
    def cut(self) -> bool:
        """A report's list of this check's items was cut, so items past it are not compared."""
        return _cut(self.base) or _cut(self.now)

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.id,
            "blocking": self.blocking,
            "status": {"base": self.status_then, "now": self.status_now},
            "measured": {
                "base": self.base.get("measured") if self.base is not None else None,
                "now": self.now.get("measured") if self.now is not None else None,
            },
            "limit": (self.now or self.base or {}).get("limit"),
            "worse": self.worse,
            "newly_failing": [{"item": i, "at": at} for i, at in self.newly_failing],
            "newly_fixed": [{"item": i, "at": at} for i, at in self.newly_fixed],
            "lists_cut": self.cut,
        }


def _change(
    ident: str, base: Mapping[str, Any] | None, now: Mapping[str, Any] | None
) -> CheckChange:
    failed_then, listed_then = _listed(base, "failed"), _listed(base)
    failed_now, listed_now = _listed(now, "failed"), _listed(now)
    # An item a cut list leaves out may have failed past the cut: only what a
    # list shows is compared (an item errored then and failed now is still new).
    newly_failing = tuple(
        (i, at)
        for i, at in failed_now.items()
        if i not in failed_then and (i in listed_then or not _cut(base))
    )
    fixed: tuple[tuple[str, str], ...] = ()
    if now is not None and not _cut(now):
        fixed = tuple((i, at) for i, at in failed_then.items() if i not in listed_now)
    return CheckChange(ident, base, now, newly_failing, fixed)


def _cut(entry: Mapping[str, Any] | None) -> bool:
    """Whether a check entry's list of items was cut (`--max-items-per-check`)."""
    return entry is not None and int(entry.get("samples_left_out", 0)) > 0


@dataclass(frozen=True)
class Comparison:
    """Every check of two reports of one suite, the candidate's order first."""

    suite: str
    base: Mapping[str, Any]  # what the base report was: its manifest, commit and verdict
    now: Mapping[str, Any]
    changes: tuple[CheckChange, ...]

    @property
    def exit_code(self) -> ExitCode:
        """1 when a blocking check got worse or any item newly fails one, else 0."""
        return ExitCode.BLOCKED if any(c.blocks for c in self.changes) else ExitCode.OK

    @property
    def headline(self) -> str:
        """`WORSE: 2 blocking checks got worse; 96 items newly fail a blocking check`."""
        blocking = [change for change in self.changes if change.blocking]
        worse = sum(change.worse for change in blocking)
        failing = sum(len(change.newly_failing) for change in blocking)
        if not worse and not failing:
            return "NOT WORSE: no blocking check got worse and no item newly fails one"
        return (
            f"WORSE: {worse} blocking check{'s' if worse != 1 else ''} got worse; "
            + (f"{failing} items newly fail" if failing != 1 else "1 item newly fails")
            + " a blocking check"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "base": dict(self.base),
            "now": dict(self.now),
            "worse": self.exit_code == ExitCode.BLOCKED,
            "headline": self.headline,
            "checks": [change.to_json() for change in self.changes],
        }


def _about(report: Mapping[str, Any], path: Path | None) -> dict[str, Any]:
    manifest = report.get("manifest") or {}
    return {
        "report": str(path) if path is not None else None,
        "version": manifest.get("version"),
        "verdict": report.get("verdict"),
        "commit": report.get("commit"),
        "started_at": report.get("started_at"),
    }


def compare_reports(
    base: Mapping[str, Any],
    now: Mapping[str, Any],
    *,
    base_path: Path | None = None,
    now_path: Path | None = None,
) -> Comparison:
    """Compare two JSON reports (gate-report/1) of the same suite.

    Args:
        base: the report to compare with, such as the last release's.
        now: the candidate's report.
        base_path: where `base` was read, for the comparison to name.
        now_path: where `now` was read.
    """
    if base["suite"] != now["suite"]:
        raise InputError(
            now_path,
            f"is a report of suite '{now['suite']}', but the base report is of suite "
            f"'{base['suite']}'",
            fix="compare two reports of the same suite",
        )
    base_entries = {str(entry["id"]): entry for entry in base["checks"]}
    now_entries = {str(entry["id"]): entry for entry in now["checks"]}
    order = list(now_entries) + [ident for ident in base_entries if ident not in now_entries]
    changes = tuple(
        _change(ident, base_entries.get(ident), now_entries.get(ident)) for ident in order
    )
    return Comparison(str(now["suite"]), _about(base, base_path), _about(now, now_path), changes)
