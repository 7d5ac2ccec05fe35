"""The query a prometheus_query check sends, worked out on promql_parser's syntax tree."""

from __future__ import annotations

import math

import pytest
import yaml

from gate.kinds.promql_ast import (
    Limit,
    denominator,
    fill,
    one_line,
    parse,
    rewrite,
    selectors,
    show,
    split_alert,
    unknown_placeholders,
)
from tests.conftest import REPO

RATIO = "sum(rate(a_total[5m])) / sum(rate(b_total[5m]))"


def _tutor_alert() -> str:
    rules = yaml.safe_load((REPO / "examples/tutor/alerts.yml").read_text())
    return str(rules["groups"][0]["rules"][0]["expr"])


def test_the_tutor_alert_splits_into_its_ratio_and_its_one_percent() -> None:
    query, limit = split_alert(_tutor_alert())
    assert one_line(parse(query)) == (
        'sum(rate(tutor_response_empty_field_total{field="spanish"}[5m])) '
        "/ sum(rate(tutor_responses_total[5m]))"
    )
    assert limit == Limit(">", 0.01)
    assert (limit.bar(), limit.crossing()) == ("<= 0.01", "above 0.01")


@pytest.mark.parametrize(
    ("expr", "operator", "threshold"),
    [
        (f"{RATIO} > 0.01", ">", 0.01),
        (f"({RATIO} >= 0.5)", ">=", 0.5),
        (f"0.9 > {RATIO}", "<", 0.9),
        (f"0.9 >= ({RATIO})", "<=", 0.9),
        (f"{RATIO} < 1e-3", "<", 0.001),
    ],
)
def test_a_comparison_on_either_side_becomes_the_failing_side(
    expr: str, operator: str, threshold: float
) -> None:
    assert split_alert(expr)[1] == Limit(operator, threshold)


@pytest.mark.parametrize(
    "expr", [RATIO, f"{RATIO} > bool 0.01", f"{RATIO} > sum(c)", f"{RATIO} > 0.01 and up", "up"]
)
def test_an_expression_without_a_top_comparison_with_a_number_is_refused(expr: str) -> None:
    with pytest.raises(ValueError) as raised:
        split_alert(expr)
    assert str(raised.value) == (
        "its expression does not end in a comparison with a number, such as `... > 0.01`"
    )


@pytest.mark.parametrize(
    ("operator", "value", "crossed"),
    [(">", 0.01, False), (">", 0.0101, True), (">=", 0.01, True), ("<", 0.01, False)],
)
def test_a_limit_is_crossed_as_its_alert_would_fire(
    operator: str, value: float, crossed: bool
) -> None:
    assert Limit(operator, 0.01).crossed(value) is crossed


def test_the_window_replaces_every_range_and_matchers_join_every_selector() -> None:
    text = rewrite(
        'sum(rate(a_total{field="spanish",service="old"}[5m])) / sum(rate(b_total[5m] offset 1m))'
        " + up",
        900,
        {"service": "grammar-tutor", "release": "2.4.0"},
    )
    assert one_line(parse(text)) == (
        'sum(rate(a_total{field="spanish",release="2.4.0",service="grammar-tutor"}[15m])) '
        '/ sum(rate(b_total{release="2.4.0",service="grammar-tutor"}[15m] offset 1m)) '
        '+ up{release="2.4.0",service="grammar-tutor"}'
    )


def test_nothing_to_rewrite_keeps_the_text_as_written() -> None:
    assert rewrite("sum(x)  #  a comment", None, {}) == "sum(x)  #  a comment"


def test_a_subquery_keeps_its_own_range() -> None:
    text = rewrite("max_over_time(rate(x[1m])[10m:1m])", 300, {})
    assert one_line(parse(text)) == "max_over_time(rate(x[5m])[10m:1m])"


def test_placeholders_are_filled_inside_quotes_and_escaped() -> None:
    text = 'x{release="{{ release }}",service="{{service}}"}'
    assert fill(text, {"release": "2.4.0", "service": 'a"b\\c'}) == (
        'x{release="2.4.0",service="a\\"b\\\\c"}'
    )
    assert parse(fill(text, {"release": "2.4.0", "service": 'a"b\\c'}))
    assert unknown_placeholders("{{ releases }} {{ release }} {{service}}") == ["releases"]


def test_the_denominator_of_a_top_division_and_nothing_else() -> None:
    assert denominator(f"({RATIO})") == "sum(rate(b_total[5m]))"
    assert denominator("sum(a) * 2") is None
    assert denominator("sum(a / b)") is None


def test_selectors_are_listed_once_without_offset() -> None:
    assert selectors(f"{RATIO} + sum(rate(a_total[1m] offset 5m))") == ["a_total", "b_total"]
    assert selectors('max(x{job="a"}) > scalar(y)') == ['x{job="a"}', "y"]


def test_values_show_as_prometheus_writes_them() -> None:
    assert [show(v) for v in (0.3125, 0.0, math.nan, math.inf, -math.inf, 123456.0)] == [
        "0.3125",
        "0",
        "NaN",
        "+Inf",
        "-Inf",
        "1.235e+05",
    ]


def test_text_that_is_not_promql_says_what_the_parser_found() -> None:
    with pytest.raises(ValueError) as raised:
        parse("sum(rate(x[5m])")
    assert str(raised.value) == "unclosed left parenthesis"
