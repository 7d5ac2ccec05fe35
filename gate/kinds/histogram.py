"""Latency histograms kept in a tally's sums, so shards and rounds add up to the same percentiles.

Each answer adds 1 to the bucket of its time, named by the bucket's upper
edge in seconds (`total_le_0.251189`; `total_le_inf` for a request that timed
out). The edges are a fixed grid of twenty a decade (each about 12% above the
last) from 1 ms to 10 minutes, plus every limit the check sets: so a
percentile is reported as the edge of its bucket, at most 12% above the true
value, while whether it is within a limit is decided exactly.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from fractions import Fraction

INF = "inf"
# 0.001 s to about 450 s, each edge to six significant digits, as its sum names it.
GRID = tuple(float(f"{10 ** (k / 20) / 1000:.6g}") for k in range(0, 117))


def edge_key(edge: float) -> str:
    """The text of an edge in a sum's name: six significant digits."""
    return f"{edge:.6g}"


class Histogram:
    """The bucket edges of one check: the grid and the check's own limits."""

    def __init__(self, limits: Iterable[float]) -> None:
        self.edges = sorted({*GRID, *limits})
        self.keys = [edge_key(edge) for edge in self.edges]

    def key(self, measure: str, seconds: float | None) -> str:
        """The sum an answer of `seconds` adds 1 to; None (timed out) is past every edge."""
        if seconds is None or math.isnan(seconds):
            return f"{measure}_le_{INF}"
        at = bisect_left(self.edges, seconds)  # a time equal to an edge is within it
        return f"{measure}_le_{self.keys[at] if at < len(self.keys) else INF}"

    def fastest(self, measure: str) -> str:
        return f"{measure}_le_{self.keys[0]}"

    def counts(self, sums: Mapping[str, float], measure: str) -> list[tuple[float, int]]:
        """(edge, answers in its bucket) in ascending order, `inf` last."""
        return [
            (edge, int(sums.get(f"{measure}_le_{key}", 0)))
            for edge, key in [*zip(self.edges, self.keys, strict=True), (math.inf, INF)]
        ]

    def percentile(self, sums: Mapping[str, float], measure: str, share: float) -> float | None:
        """The edge of the bucket holding the nearest-rank `share` percentile; None with no data.

        math.inf when that answer timed out.
        """
        buckets = self.counts(sums, measure)
        count = sum(number for _, number in buckets)
        if count == 0:
            return None
        rank = math.ceil(Fraction(str(share)) * count)
        seen = 0
        for edge, number in buckets:
            seen += number
            if seen >= max(rank, 1):
                return edge
        return math.inf
