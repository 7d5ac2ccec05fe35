"""Tallies: the counts a response check keeps, built so that shards and rounds add up."""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

#: How many failed and errored items a check lists by default (`--max-items-per-check`):
#: every one of the tutor's 338 regression items, with room to spare.
MAX_ITEMS_PER_CHECK = 1000


@dataclass(frozen=True, order=True)
class Sample:
    """One item that failed or errored, what was wrong with it, and the class of its answer's
    fault (`not_json`, `http_5xx`, `kind_error`, ...; empty when the kind judged it)."""

    corpus: str
    line: int
    item: str
    outcome: str  # "failed" or "errored"
    reason: str
    cause: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "corpus": self.corpus,
            "line": self.line,
            "outcome": self.outcome,
            "reason": self.reason,
            "cause": self.cause,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Sample:
        return cls(
            str(data["corpus"]),
            int(data["line"]),
            str(data["item"]),
            str(data["outcome"]),
            str(data["reason"]),
            str(data.get("cause", "")),
        )


@dataclass
class Tally:
    """Counts that add up: `total` items planned, each one passed, failed or errored.

    `sums` holds kind-specific totals (such as score sums), `causes` counts the
    errored items by cause. `samples` lists the failed and errored items, the
    first `cap` of them in corpus order, which are the same whichever shard or
    round saw them, so merging is exact; `left_out` counts the rest.
    """

    total: int = 0
    passed: int = 0
    failed: int = 0
    errored: int = 0
    sums: dict[str, float] = field(default_factory=dict)
    causes: dict[str, int] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)
    failed_causes: dict[str, int] = field(default_factory=dict)
    cap: int = MAX_ITEMS_PER_CHECK

    @property
    def judged(self) -> int:
        """Items that were answered and judged, whichever way."""
        return self.passed + self.failed

    @property
    def accounted(self) -> bool:
        """Every planned item is passed, failed or errored: none was lost."""
        return self.passed + self.failed + self.errored == self.total

    @property
    def left_out(self) -> int:
        """Failed and errored items past the cap, which `samples` does not list."""
        return max(0, self.failed + self.errored - len(self.samples))

    def add_sample(self, sample: Sample) -> None:
        """List `sample` if it is among the first `cap` in corpus order."""
        samples = self.samples
        if not samples or samples[-1] <= sample:  # items come in corpus order: appended
            if len(samples) < self.cap:
                samples.append(sample)
            return
        bisect.insort(samples, sample)
        if len(samples) > self.cap:
            samples.pop()

    def merge(self, other: Tally) -> Tally:
        """The sum of two tallies, as if one run had seen both sets of items."""
        sums = dict(self.sums)
        for key, value in other.sums.items():
            sums[key] = sums.get(key, 0.0) + value
        return Tally(
            total=self.total + other.total,
            passed=self.passed + other.passed,
            failed=self.failed + other.failed,
            errored=self.errored + other.errored,
            sums=sums,
            causes=_added(self.causes, other.causes),
            failed_causes=_added(self.failed_causes, other.failed_causes),
            # Each side kept its first items; the first of both are among them
            # up to the smaller cap.
            samples=sorted({*self.samples, *other.samples})[: min(self.cap, other.cap)],
            cap=min(self.cap, other.cap),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "passed": self.passed,
            "failed": self.failed,
            "errored": self.errored,
            "judged": self.judged,
            "accounted": self.accounted,
            "sums": dict(sorted(self.sums.items())),
            "causes": dict(sorted(self.causes.items())),
            "failed_causes": dict(sorted(self.failed_causes.items())),
        }

    def listed_json(self) -> dict[str, Any]:
        """The report's list of failed and errored items, with its cap and what it left out."""
        return {
            "samples": [sample.to_json() for sample in self.samples],
            "samples_cap": self.cap,
            "samples_left_out": self.left_out,
        }

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Tally:
        """The tally of a report's check entry, with the items it lists."""
        samples = [Sample.from_json(sample) for sample in entry.get("samples", ())]
        tally = cls.from_json(entry["tally"], samples)
        # A report that does not give its cap listed every item or cut at what it listed.
        cap = entry.get("samples_cap")
        if type(cap) is int and cap >= 0:
            tally.cap = cap
        elif tally.left_out:
            tally.cap = len(samples)
        return tally

    @classmethod
    def from_json(cls, data: Mapping[str, Any], samples: list[Sample] | None = None) -> Tally:
        return cls(
            total=int(data["total"]),
            passed=int(data["passed"]),
            failed=int(data["failed"]),
            errored=int(data["errored"]),
            sums={str(k): float(v) for k, v in data.get("sums", {}).items()},
            causes={str(k): int(v) for k, v in data.get("causes", {}).items()},
            failed_causes={str(k): int(v) for k, v in data.get("failed_causes", {}).items()},
            samples=list(samples or []),
        )


def _added(first: Mapping[str, int], second: Mapping[str, int]) -> dict[str, int]:
    counts = dict(first)
    for key, count in second.items():
        counts[key] = counts.get(key, 0) + count
    return counts


def count_text(counts: Mapping[str, int]) -> str:
    """`http_5xx 2, timeout 1`: counts by cause, in a stable order."""
    return ", ".join(f"{cause} {count}" for cause, count in sorted(counts.items()))
