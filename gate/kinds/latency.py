"""latency: how long the answers took, as the target measured them, against limits."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from gate.corpus import CorpusItem
from gate.kinds.base import (
    FAILED_ELSEWHERE,
    PASSED,
    Judgement,
    Measurement,
    ResponseKind,
    rate_verdict,
)
from gate.kinds.histogram import Histogram
from gate.registry import kind
from gate.status import Status

if TYPE_CHECKING:
    from gate.tally import Tally
    from gate.targets.base import Timing

MEASURES = ("total", "first_byte")
SHARES = {"p50": 0.5, "p95": 0.95, "p99": 0.99}
_SECONDS = {"type": "number", "exclusiveMinimum": 0}
_PERCENTILES: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "minProperties": 1,
    "properties": {name: {**_SECONDS, "description": f"the most {name} may be, in seconds"}
                   for name in SHARES},
}  # fmt: skip


@kind
class Latency(ResponseKind):
    """Answer latency (first byte and whole answer, as the target measured it) within limits.

    Params:
      total: limits on the time to the end of the answer, in seconds, by percentile:
        {p50: 1, p95: 2.5, p99: 4}, any of them. A percentile at exactly its limit passes.
      first_byte: the same for the time to the response's status line and headers.
      slow_s: an answer whose whole time is over this many seconds is slow, and fails.
      max_slow_rate: the largest share of slow answers allowed, 0 to 1 (default 0);
        needs slow_s. At 0.01, 1 slow answer in 100 passes and 2 fail.
    A request that timed out counts as slower than every limit, and so does an
    answer of the wrong shape (a user waited and got nothing to read). A
    percentile is the nearest-rank one, reported as the upper edge of its
    histogram bucket (at most 12% above the true value); the limits are bucket
    edges, so the verdict itself is exact. Answers from a recorded file carry
    no timing and are errored.
    """

    name = "latency"
    timed = True
    params_schema: ClassVar[Mapping[str, Any]] = {
        "type": "object",
        "additionalProperties": False,
        "minProperties": 1,
        "examples": [{"total": {"p50": 1, "p95": 2.5}, "first_byte": {"p95": 0.8}}],
        "properties": {
            "total": {**_PERCENTILES, "description": "percentile limits on the whole answer"},
            "first_byte": {**_PERCENTILES, "description": "percentile limits on the first byte"},
            "slow_s": {**_SECONDS, "description": "seconds past which an answer is slow"},
            "max_slow_rate": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "description": "the largest share of slow answers allowed (0 to 1)",
            },
        },
    }

    def __init__(self, params: Mapping[str, Any]) -> None:
        super().__init__(params)
        self.limits = {m: dict(params.get(m, {})) for m in MEASURES}
        self.slow_s: float | None = params.get("slow_s")
        self.max_slow_rate: float = params.get("max_slow_rate", 0.0)
        limits = [s for m in MEASURES for s in self.limits[m].values()]
        self.histogram = Histogram([*limits, *([self.slow_s] if self.slow_s else [])])
        self._never = {f"{m}_le_inf": 1 for m in MEASURES}

    @classmethod
    def check_params(cls, params: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
        if "max_slow_rate" in params and "slow_s" not in params:
            return [(("max_slow_rate",), "needs slow_s, the time past which an answer is slow")]
        if not ({"total", "first_byte", "slow_s"} & set(params)):
            return [((), "sets no limit: give total, first_byte or slow_s")]
        return []

    @classmethod
    def rate_limit(cls, params: Mapping[str, Any]) -> float | None:
        return float(params.get("max_slow_rate", 0.0)) if "slow_s" in params else None

    def judge(self, item: CorpusItem, response: Mapping[str, Any]) -> Judgement:
        raise TypeError("latency judges how long an answer took: it is called with judge_timed")

    def judge_timed(
        self, item: CorpusItem, response: Mapping[str, Any] | None, timing: Timing | None
    ) -> Judgement:
        if timing is None:
            return Judgement(False, "timed out", self._never)
        histogram = self.histogram
        sums = {
            histogram.key("total", timing.total_s): 1,
            histogram.key("first_byte", timing.first_byte_s): 1,
        }
        if self.slow_s is not None and timing.total_s > self.slow_s:
            return Judgement(False, f"took {timing.total_s:.3f} s, over {self.slow_s:g} s", sums)
        return Judgement(True, sums=sums) if sums else PASSED

    def unanswered(self, item: CorpusItem, reason: str) -> Judgement:
        return Judgement(False, reason, self._never)

    def bound(self, tally: Tally, *, errored_passed: bool) -> Tally:
        bounded = super().bound(tally, errored_passed=errored_passed)
        sums = dict(bounded.sums)
        for measure in MEASURES:  # each errored answer at its fastest, or timed out
            key = self.histogram.fastest(measure) if errored_passed else f"{measure}_le_inf"
            sums[key] = sums.get(key, 0) + tally.errored
        bounded.sums = sums
        return bounded

    def verdict(self, tally: Tally) -> Measurement:
        percentile = self.histogram.percentile
        found = {
            m: {name: percentile(tally.sums, m, share) for name, share in SHARES.items()}
            for m in MEASURES
        }
        parts, broken, limits = [], [], []
        for measure in MEASURES:
            shown = ", ".join(f"{name} {_seconds(value)}" for name, value in found[measure].items())
            parts.append(f"{measure.replace('_', ' ')} {shown}")
            for name, limit in self.limits[measure].items():
                limits.append(f"{measure} {name} <= {limit:g} s")
                value = found[measure][name]
                if value is None or value > limit:
                    broken.append(f"{measure} {name} {_seconds(value)} over {limit:g} s")
        details: dict[str, Any] = {
            m: {k: None if v is None or math.isinf(v) else v for k, v in found[m].items()}
            for m in MEASURES
        }
        status = Status.FAIL if broken else Status.PASS
        if broken:
            details[FAILED_ELSEWHERE] = True
        message = "; ".join(parts)
        if self.slow_s is not None:
            rate = rate_verdict(tally, self.max_slow_rate, f"slower than {self.slow_s:g} s")
            limits.append(f"slow <= {self.max_slow_rate:.2%}")
            message += f"; {rate.message}"
            details["interval"] = rate.details["interval"]
            status = Status.FAIL if rate.status is Status.FAIL else status
        message += f"; {', '.join(broken)}" if broken else ("; within every limit")
        measured = found["total"]["p50"]
        measured = None if measured is None or math.isinf(measured) else measured
        return Measurement(status, measured, ", ".join(limits), message, details)


def _seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return "timed out" if math.isinf(value) else f"{value:.3g} s"
