"""Why an instant query's answer cannot be judged: no series, NaN or Inf, a selector gone stale.

Canary analysis tools are most often reported for passing a query that found no
data, or a ratio that was NaN because nothing was served; here each of these is
named and never judged.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from gate.kinds import promql_ast as q
from gate.kinds.promql import parse_duration

if TYPE_CHECKING:  # the client brings in httpx and jsonschema, which `gate validate` never needs
    from gate.prometheus import Prometheus, QueryResult


def unjudgeable(
    prometheus: Prometheus, query: str, result: QueryResult, stale_after: str
) -> str | None:
    """Why the result cannot be judged (no series, NaN, Inf, a stale selector), or None."""
    if not result.series:
        return "no series matched"
    odd = next((s.value for s in result.series if not math.isfinite(s.value)), None)
    if odd is not None:
        below = q.denominator(query)
        zero = below is not None and any(s.value == 0 for s in prometheus.query(below).series)
        return f"{q.show(odd)}: the denominator was 0" if zero else f"the value is {q.show(odd)}"
    allowed_ms = parse_duration(stale_after) or 0
    # A rate over a long window still has a value after its series stopped; the
    # newest sample of every selector says whether Prometheus still hears from it.
    for selector in q.selectors(query):
        newest = prometheus.query(f"max(timestamp({selector}))").series
        age = result.at - newest[0].value if newest else math.inf
        if age * 1000 > allowed_ms:
            since = f"its newest sample is {age:.0f} s old" if newest else "it has no recent sample"
            return f"a series stopped reporting: {selector}: {since} (stale_after {stale_after})"
    return None
