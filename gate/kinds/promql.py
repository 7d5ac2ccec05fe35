"""Just enough PromQL reading for an alert check: which metrics an expression reads, and
the number its top-level comparison holds it to.

This is not a PromQL parser. It blanks out what cannot hold a metric name or a
comparison (string literals, comments, label matchers, range selectors), then
reads the top level of what is left. An expression it cannot read is reported
as such rather than guessed at; `promtool check rules` remains the judge of
whether the expression is valid PromQL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

# Strings and comments in one pass, so a `#` inside a string is not a comment.
_STRING_OR_COMMENT = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`|#[^\n]*')
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_COMPARISON = re.compile(rf"(>=|<=|==|!=|>|<)\s*(?:bool\s+)?({_NUMBER})?")
_LEADING_NUMBER = re.compile(rf"^\s*({_NUMBER})\s*$")
_SET_OPERATOR = re.compile(r"\b(?:and|or|unless)\b")
_FLIP = {">": "<", "<": ">", ">=": "<=", "<=": ">=", "==": "==", "!=": "!="}
_DURATION = re.compile(
    r"^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$"
)
_UNIT_MS = (365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1)


@dataclass(frozen=True)
class Comparison:
    """`<expression> <operator> <threshold>`, with the number turned to the right-hand side."""

    operator: str
    threshold: Fraction


def parse_duration(text: str) -> int | None:
    """A Prometheus duration (`5m`, `1h30m`, `0`) in milliseconds; None when it is not one."""
    text = text.strip()
    if text == "0":
        return 0
    found = _DURATION.match(text)
    if not text or found is None:
        return None
    return sum(
        int(part) * unit for part, unit in zip(found.groups(), _UNIT_MS, strict=True) if part
    )


def _blank_nested(text: str, opening: str, closing: str) -> str:
    out, depth = [], 0
    for char in text:
        if char == opening:
            depth += 1
        elif char == closing and depth:
            depth -= 1
            out.append(char)
            continue
        out.append(" " if depth and char != opening else char)
    return "".join(out)


def skeleton(expr: str) -> str:
    """The expression with strings, comments, label matchers and ranges blanked out."""
    text = _STRING_OR_COMMENT.sub(lambda m: "" if m.group().startswith("#") else '""', expr)
    return _blank_nested(_blank_nested(text, "{", "}"), "[", "]")


def reads_metric(expr: str, metric: str) -> bool:
    """Whether the expression selects `metric`, by name or by a `__name__` matcher."""
    named = re.compile(rf"(?<![\w:]){re.escape(metric)}(?![\w:])")
    by_label = re.compile(rf"__name__\s*=\s*[\"']{re.escape(metric)}[\"']")
    return bool(named.search(skeleton(expr)) or by_label.search(expr))


def _encloses(text: str) -> bool:
    """Whether the parenthesis opening `text` is the one closing it."""
    depth = 0
    for index, char in enumerate(text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0:
            return index == len(text) - 1
    return False


def _unwrapped(text: str) -> str:
    text = text.strip()
    while text.startswith("(") and _encloses(text):
        text = text[1:-1].strip()
    return text


def comparison(expr: str, metric: str) -> Comparison | None:
    """The top-level comparison with a number in the clause that reads `metric`, if any."""
    text = _unwrapped(skeleton(expr))
    top = _blank_nested(text, "(", ")")
    start = 0
    clauses = []
    for match in _SET_OPERATOR.finditer(top):
        clauses.append((start, match.start()))
        start = match.end()
    clauses.append((start, len(top)))
    for begin, end in clauses:
        clause, flat = text[begin:end], top[begin:end]
        if not reads_metric(clause, metric):
            continue
        for found in _COMPARISON.finditer(flat):
            operator, number = found.group(1), found.group(2)
            if number is not None and not flat[found.end() :].strip():
                return Comparison(operator, Fraction(number))
            left = _LEADING_NUMBER.match(flat[: found.start()])
            if number is None and left is not None:
                return Comparison(_FLIP[operator], Fraction(left.group(1)))
    return None
