"""95% intervals: how far the data let a measured rate or mean be from the truth.

Rates get the Wilson score interval. Its coverage stays close to 95% for
small counts and for rates near 0, where the gate's limits sit (2% of 338
answers), while the normal approximation's interval collapses to a point at 0
failures and can reach below 0; Clopper-Pearson's exact interval is more
conservative than it needs to be, wider than 95% on average, and costs a beta
quantile. Means of scores get Student's t interval, from the count, the sum
and the sum of squares a tally keeps, so shards and rounds add up to it.

`decide` (per check) says what meets the limit: the point estimate (the
default), or the interval's `upper` or `lower` bound.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

LEVEL = 0.95
_Z = NormalDist().inv_cdf(1 - (1 - LEVEL) / 2)  # 1.959964...
DECIDE = ("point", "upper", "lower")

# Student's t at 0.975 for 1 to 30 degrees of freedom (the usual printed table);
# beyond, the Cornish-Fisher expansion in 1/df is good to the fourth decimal.
_T_975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip


def wilson(count: int, total: int) -> tuple[float, float]:
    """The 95% Wilson score interval of the share `count / total` (0..1 when total is 0)."""
    if total <= 0:
        return 0.0, 1.0
    share, z2 = count / total, _Z * _Z
    centre = (share + z2 / (2 * total)) / (1 + z2 / total)
    half = _Z * math.sqrt(share * (1 - share) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    # At 0 and at total the bound is exactly 0 (or 1): the formula leaves rounding dust.
    low = 0.0 if count == 0 else max(0.0, centre - half)
    high = 1.0 if count == total else min(1.0, centre + half)
    return low, high


def t_quantile(df: int) -> float:
    """Student's t quantile at 0.975 for `df` degrees of freedom (1 or more)."""
    if df <= len(_T_975):
        return _T_975[df - 1]
    z = _Z
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


def mean_interval(
    count: int, total: float, squares: float, *, low: float = 0.0, high: float = 1.0
) -> tuple[float, float]:
    """The 95% t interval of a mean from n, the sum and the sum of squares, kept in [low, high].

    One value says nothing of the spread: its interval is the whole range.
    """
    if count < 2:
        return low, high
    mean = total / count
    variance = max(0.0, (squares - count * mean * mean) / (count - 1))
    half = t_quantile(count - 1) * math.sqrt(variance / count)
    return max(low, mean - half), min(high, mean + half)


@dataclass(frozen=True)
class Interval:
    """A measured value, its 95% interval, and the limit it is held to.

    `bound` is `max` for a limit the value must not exceed (a failure rate) and
    `min` for one it must reach (a mean score).
    """

    value: float
    low: float
    high: float
    limit: float
    bound: str  # "max" or "min"
    unit: str  # "share" (shown in percent) or "score"
    count: int  # items (or answers) behind it
    noun: str = "items"

    def within(self, estimate: float) -> bool:
        """Whether `estimate` meets the limit."""
        return estimate <= self.limit if self.bound == "max" else estimate >= self.limit

    @property
    def settled(self) -> bool:
        """Whether the whole interval lies on one side of the limit.

        A value at a limit that is the edge of its range (no failure at all
        against a limit of 0, a perfect mean against 1) counts as settled: no
        number of items could show more, so saying they cannot is only noise.
        """
        edge = 0.0 if self.bound == "max" else 1.0
        if self.limit == edge and self.value == edge:
            return True
        return self.within(self.low) == self.within(self.high)

    def show(self, value: float) -> str:
        return _percent(value) if self.unit == "share" else f"{value:.4f}"

    def text(self) -> str:
        """`2.07% (95%: 1.0%..4.2%)`."""
        if self.unit == "share":
            return f"{self.value:.2%} (95%: {_percent(self.low)}..{_percent(self.high)})"
        return f"{self.value:.4f} (95%: {self.low:.4f}..{self.high:.4f})"

    def unsettled_text(self) -> str:
        """`: 338 items cannot separate this from the limit`, or nothing when the data do."""
        if self.settled:
            return ""
        return f": {self.count} {self.noun} cannot separate this from the limit"

    def to_json(self) -> dict[str, Any]:
        return {
            "level": LEVEL,
            "method": "wilson" if self.unit == "share" else "t",
            "value": self.value,
            "low": self.low,
            "high": self.high,
            "limit": self.limit,
            "bound": self.bound,
            "unit": self.unit,
            "count": self.count,
            "settled": self.settled,
            "point_within": self.within(self.value),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Interval:
        return cls(
            float(data["value"]),
            float(data["low"]),
            float(data["high"]),
            float(data["limit"]),
            str(data["bound"]),
            str(data["unit"]),
            int(data["count"]),
        )


def _percent(value: float) -> str:
    # One decimal is enough for a bound; a tiny but non-zero one keeps two digits.
    if value == 0 or value >= 0.001:
        return f"{value:.1%}"
    return f"{value * 100:.2g}%"
