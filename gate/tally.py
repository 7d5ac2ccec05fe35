"""Tallies: the counts a response check keeps, built so that shards and rounds add up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_SAMPLES = 5


@dataclass(frozen=True, order=True)
class Sample:
    """One item that failed or errored, and what was wrong with it."""

    corpus: str
    line: int
    item: str
    outcome: str  # "failed" or "errored"
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {
            "item": self.item,
            "corpus": self.corpus,
            "line": self.line,
            "outcome": self.outcome,
            "reason": self.reason,
        }


@dataclass
class Tally:
    """Counts that add up: `total` items planned, each one passed, failed or errored.

    `sums` holds kind-specific totals (such as score sums), `causes` counts the
    errored items by cause. Samples keep the first few problems in corpus order,
    which is the same whichever shard or round saw them, so merging is exact.
    """

    total: int = 0
    passed: int = 0
    failed: int = 0
    errored: int = 0
    sums: dict[str, float] = field(default_factory=dict)
    causes: dict[str, int] = field(default_factory=dict)
    samples: list[Sample] = field(default_factory=list)
    failed_causes: dict[str, int] = field(default_factory=dict)

    @property
    def judged(self) -> int:
        """Items that were answered and judged, whichever way."""
        return self.passed + self.failed

    @property
    def accounted(self) -> bool:
        """Every planned item is passed, failed or errored: none was lost."""
        return self.passed + self.failed + self.errored == self.total

    def add_sample(self, sample: Sample) -> None:
        samples = self.samples
        if len(samples) < MAX_SAMPLES:
            samples.append(sample)
            samples.sort()
        elif sample < samples[-1]:
            samples[-1] = sample
            samples.sort()

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
            samples=sorted({*self.samples, *other.samples})[:MAX_SAMPLES],
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
