"""The minimal PromQL reading behind prometheus_alert_rule: metric names, thresholds, durations."""

from __future__ import annotations

from fractions import Fraction

import pytest

from gate.kinds.promql import Comparison, comparison, parse_duration, reads_metric

METRIC = "tutor_response_empty_field_total"


@pytest.mark.parametrize(
    ("text", "ms"),
    [
        ("5m", 300_000),
        ("1h30m", 5_400_000),
        ("0", 0),
        ("0s", 0),
        ("250ms", 250),
        ("1d", 86_400_000),
    ],
)
def test_durations(text: str, ms: int) -> None:
    assert parse_duration(text) == ms


@pytest.mark.parametrize("text", ["", "5", "five minutes", "5 m", "m5", "1.5h"])
def test_not_durations(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("expr", "reads"),
    [
        (f"rate({METRIC}[5m])", True),
        (f'rate({{__name__="{METRIC}"}}[5m])', True),
        (f"rate({METRIC}_bucket[5m])", False),  # another metric that starts the same
        (f'rate(other{{note="{METRIC}"}}[5m])', False),  # inside a label value
        (f"rate(other[5m]) # {METRIC}", False),  # inside a comment
    ],
)
def test_which_metric_an_expression_reads(expr: str, reads: bool) -> None:
    assert reads_metric(expr, METRIC) is reads


@pytest.mark.parametrize(
    ("expr", "found"),
    [
        (f"sum(rate({METRIC}[5m])) > 0.01", Comparison(">", Fraction(1, 100))),
        (f"(sum(rate({METRIC}[5m])) >= bool 1e-2)", Comparison(">=", Fraction(1, 100))),
        (f"0.02 < rate({METRIC}[5m])", Comparison(">", Fraction(1, 50))),
        (f'rate({METRIC}{{field!="x"}}[5m]) > 3 # "> 9"', Comparison(">", Fraction(3))),
        (f"up == 0 or rate({METRIC}[1m]) > 0.5", Comparison(">", Fraction(1, 2))),
        (f"rate({METRIC}[1m]) > 0.5 unless up == 0", Comparison(">", Fraction(1, 2))),
        (f"histogram_quantile(0.99, rate({METRIC}[5m])) > 2", Comparison(">", Fraction(2))),
        (f"rate({METRIC}[5m]) > 0.01 * 100", None),
        (f"rate({METRIC}[5m]) > on() other", None),
        ("rate(other[5m]) > 0.01", None),
    ],
)
def test_the_top_level_comparison(expr: str, found: Comparison | None) -> None:
    assert comparison(expr, METRIC) == found
