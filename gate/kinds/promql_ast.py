"""The query a prometheus_query check sends, worked out on a real PromQL parser.

An alert's expression splits into the query and the comparison that fires it;
the bake's window replaces every range; label matchers scope every selector to
the canary; a ratio's denominator and the selectors' freshness can be asked on
their own. Everything here goes through promql_parser's syntax tree, never
through text patterns, so a string or a comment cannot fool it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

import promql_parser as ast

COMPARISONS = {">": "above", ">=": "at or above", "<": "below", "<=": "at or below"}
_FLIP = {">": "<", ">=": "<=", "<": ">", "<=": ">="}
_PASSING = {">": "<=", ">=": "<", "<": ">=", "<=": ">"}
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
PLACEHOLDERS = ("release", "service")
_OPENING_SPACE, _CLOSING_SPACE = re.compile(r"\(\s+"), re.compile(r"\s+\)")


@dataclass(frozen=True)
class Limit:
    """The value fails the check when `value <operator> threshold`, as an alert would fire."""

    operator: str
    threshold: float

    def crossed(self, value: float) -> bool:
        """Whether `value` is on the failing side (NaN never is: it is judged before)."""
        return {
            ">": value > self.threshold,
            ">=": value >= self.threshold,
            "<": value < self.threshold,
            "<=": value <= self.threshold,
        }[self.operator]

    def crossing(self) -> str:
        """What a failing value is: `above 0.01`."""
        return f"{COMPARISONS[self.operator]} {self.threshold:g}"

    def bar(self) -> str:
        """What a passing value is, as a report's limit column shows it: `<= 0.01`."""
        return f"{_PASSING[self.operator]} {self.threshold:g}"


def parse(text: str) -> ast.Expr:
    """The syntax tree of `text`; ValueError with the parser's words when it is not PromQL."""
    return ast.parse(text)


def one_line(expr: ast.Expr) -> str:
    """The expression on one line, for messages: prettify's line breaks taken out again."""
    text = " ".join(expr.prettify().split())
    return _CLOSING_SPACE.sub(")", _OPENING_SPACE.sub("(", text))


def _unwrapped(expr: ast.Expr) -> ast.Expr:
    while isinstance(expr, ast.ParenExpr):
        expr = expr.expr
    return expr


def split_alert(expr_text: str) -> tuple[str, Limit]:
    """An alert's expression as (the query, the limit its comparison sets).

    `sum(a) / sum(b) > 0.01` becomes `sum(a) / sum(b)` failing above 0.01; the
    number may stand on either side. ValueError when the top of the expression
    is not such a comparison (a `bool` comparison included: it never filters).
    """
    top = _unwrapped(parse(expr_text))
    if isinstance(top, ast.BinaryExpr) and str(top.op) in _FLIP:
        returns_bool = top.modifier is not None and top.modifier.return_bool
        lhs, rhs = _unwrapped(top.lhs), _unwrapped(top.rhs)
        if isinstance(rhs, ast.NumberLiteral) and not returns_bool:
            return top.lhs.prettify(), Limit(str(top.op), rhs.val)
        if isinstance(lhs, ast.NumberLiteral) and not returns_bool:
            return top.rhs.prettify(), Limit(_FLIP[str(top.op)], lhs.val)
    raise ValueError(
        "its expression does not end in a comparison with a number, such as `... > 0.01`"
    )


def fill(text: str, values: Mapping[str, str]) -> str:
    """`text` with `{{ release }}` and `{{ service }}` replaced, escaped for a quoted value."""

    def value(match: re.Match[str]) -> str:
        return values[match.group(1)].replace("\\", "\\\\").replace('"', '\\"')

    return _PLACEHOLDER.sub(value, text)


def placeholders(text: str) -> list[str]:
    """The names of the `{{ name }}`s of `text`, in order."""
    return list(_PLACEHOLDER.findall(text))


def unknown_placeholders(text: str) -> list[str]:
    """The `{{ name }}`s of `text` that `fill` does not know."""
    return [name for name in placeholders(text) if name not in PLACEHOLDERS]


def rewrite(text: str, window_s: float | None, match: Mapping[str, str]) -> str:
    """`text` with every range selector's range set to `window_s`, and `match` added to every
    selector (replacing a matcher of the same label). A subquery keeps its own range."""
    if window_s is None and not match:
        return text
    matchers = [ast.Matcher(ast.MatchOp.Equal, name, value) for name, value in match.items()]

    def visit(node: ast.Expr) -> ast.Expr | None:
        if isinstance(node, ast.VectorSelector) and matchers:
            kept = [m for m in node.matchers.matchers if m.name not in match]
            node.matchers = ast.Matchers([*kept, *matchers])
            return ast.parse(str(node))  # a fresh node: transform keeps nodes changed in place
        if isinstance(node, ast.MatrixSelector) and window_s is not None:
            node.range = timedelta(seconds=window_s)
            return ast.parse(str(node))
        return None

    return str(ast.transform(parse(text), post_visit=visit).prettify())


def denominator(text: str) -> str | None:
    """The right-hand side of a division at the top of `text`, or None when there is none."""
    top = _unwrapped(parse(text))
    if isinstance(top, ast.BinaryExpr) and str(top.op) == "/":
        return str(top.rhs.prettify())
    return None


def selectors(text: str) -> list[str]:
    """Every series selector `text` reads, without offset or @, each once, in order."""
    found: list[str] = []

    def visit(node: ast.Expr) -> None:
        if isinstance(node, ast.VectorSelector):
            node.offset, node.at = None, None
            # str() of a changed node writes `{}` for no matchers; prettify of a fresh one does not.
            text = ast.parse(str(node)).prettify()
            if text not in found:
                found.append(text)

    ast.walk(parse(text), pre_visit=visit)
    return found


def show(value: float) -> str:
    """A value as a report shows it: `0.3125`, `NaN`, `+Inf`."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return f"{value:.4g}"
