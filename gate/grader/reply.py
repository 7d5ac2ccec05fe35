"""Reading a judging model's reply: JSON where it can, a strict line where it cannot.

The reply must be a JSON object, alone or in one Markdown code fence, with
`pass` (true or false) or `score` (0 to 1) and optionally a `reason`; or, from
a model that does not speak JSON, a first line `PASS: reason`, `FAIL: reason`
or `SCORE: 0.8 reason`. Anything else is unreadable, and the item is errored:
a judge's garbage never passes an answer.
"""

from __future__ import annotations

import math
import re
from typing import Any, NamedTuple

import orjson

_FENCE = re.compile(r"\A```[a-zA-Z]*\n(.*)\n```\Z", re.DOTALL)
_VERDICT = re.compile(r"\A(PASS|FAIL)\b[\s:.-]*(.*)\Z", re.IGNORECASE)
_SCORE = re.compile(r"\ASCORE[\s:]+(\d+(?:\.\d+)?)\b[\s:.-]*(.*)\Z", re.IGNORECASE)


class Unreadable(ValueError):
    """The reply says nothing the gate can take as a grade."""


class Grade(NamedTuple):
    """What the judge said of one answer: a pass or fail, or a score, and why."""

    passed: bool | None
    score: float | None
    reason: str


def read_grade(text: str, mode: str) -> Grade:
    """The grade in a reply; `mode` is `pass_fail` or `score`. Raises Unreadable."""
    stripped = text.strip()
    fenced = _FENCE.match(stripped)
    body = fenced.group(1) if fenced else stripped
    try:
        value: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return _from_line(stripped.splitlines()[0] if stripped else "", mode)
    if not isinstance(value, dict):
        raise Unreadable(f"the reply is JSON but not an object: {_shown(body)}")
    reason = value.get("reason", "")
    if not isinstance(reason, str):
        raise Unreadable(f"its reason is not a string: {_shown(body)}")
    if mode == "score":
        score = value.get("score")
        if isinstance(score, bool) or not isinstance(score, int | float):
            raise Unreadable(f"it has no numeric score: {_shown(body)}")
        return Grade(None, _bounded(float(score), body), reason)
    verdict = value.get("pass")
    if not isinstance(verdict, bool):
        raise Unreadable(f"it has no true or false pass: {_shown(body)}")
    return Grade(verdict, None, reason)


def _from_line(line: str, mode: str) -> Grade:
    if mode == "score":
        found = _SCORE.match(line)
        if found is None:
            raise Unreadable(f"the reply is neither JSON nor 'SCORE: n': {_shown(line)}")
        return Grade(None, _bounded(float(found.group(1)), line), found.group(2))
    found = _VERDICT.match(line)
    if found is None:
        raise Unreadable(f"the reply is neither JSON nor 'PASS' or 'FAIL': {_shown(line)}")
    return Grade(found.group(1).upper() == "PASS", None, found.group(2))


def _bounded(score: float, text: str) -> float:
    if not math.isfinite(score) or not 0 <= score <= 1:
        raise Unreadable(f"its score is not between 0 and 1: {_shown(text)}")
    return score


def _shown(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")
