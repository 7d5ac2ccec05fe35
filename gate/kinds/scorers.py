"""The scorers of eval_score: each turns one response value, read against what the
corpus item expects, into a score from 0 to 1 and a short note for the report."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from gate.kinds.fields import MISSING, get_field
from gate.regex import Pattern, compile_pattern

if TYPE_CHECKING:
    from sacrebleu.metrics.chrf import CHRF

ROOT = "$"  # the field that names the whole response or the whole expected object
SCORERS = ("exact", "contains", "regex", "chrf", "json_keys")
_NOTE_CHARS = 48


# The settings of one axis, as eval_score's params hold them.
AXIS_SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["scorer"],
    "properties": {
        "scorer": {
            "enum": list(SCORERS),
            "description": "exact (1 when equal), contains (the expected text inside the answer), "
            "regex (pattern matches anywhere; no expected value needed), chrf (sentence chrF, "
            "0 to 1) or json_keys (the share of the expected object's keys present)",
        },
        "field": {
            "type": "string",
            "minLength": 1,
            "description": "the response field, as a dotted path (default: the axis name); "
            "$ is the whole response",
        },
        "expected": {
            "type": "string",
            "minLength": 1,
            "description": "the field of the item's expected (default: the same as field)",
        },
        "weight": {
            "type": "number",
            "exclusiveMinimum": 0,
            "default": 1,
            "description": "the axis's weight in an item's score",
        },
        "min_score": {
            "type": "number",
            "minimum": 0,
            "maximum": 1,
            "description": "the lowest mean this axis may have (none when not given)",
        },
        "normalize": {
            "type": "boolean",
            "default": False,
            "description": "compare ignoring case and runs of whitespace",
        },
        "pattern": {
            "type": "string",
            "description": "the regular expression of a regex axis, in RE2 syntax",
        },
    },
}


class Unscorable(Exception):
    """The corpus item does not hold what this axis needs to compare with."""


def read(value: Any, dotted: str) -> Any:
    """The value at a dotted path, `$` being the value itself; MISSING when absent."""
    if dotted == ROOT:
        return value
    return get_field(value, dotted) if isinstance(value, Mapping) else MISSING


def shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _NOTE_CHARS else text[: _NOTE_CHARS - 4] + "...'"


def _normalised(text: str) -> str:
    # Case and runs of whitespace are what a reader of the gloss does not see.
    return " ".join(text.split()).casefold()


@cache
def _chrf() -> CHRF:
    # Imported on first use: sacrebleu pulls in numpy, which `gate --help` does not need.
    from sacrebleu.metrics.chrf import CHRF

    return CHRF()


@dataclass(frozen=True)
class Axis:
    """One scored aspect of an answer: which field, which scorer, how much it weighs."""

    name: str
    scorer: str
    field: str
    expected: str
    weight: float
    min_score: float | None
    normalize: bool
    pattern: Pattern | None

    @classmethod
    def from_params(cls, name: str, spec: Mapping[str, Any]) -> Axis:
        field = spec.get("field", name)
        pattern = spec.get("pattern")
        return cls(
            name=name,
            scorer=spec["scorer"],
            field=field,
            expected=spec.get("expected", field),
            weight=float(spec.get("weight", 1.0)),
            min_score=spec.get("min_score"),
            normalize=bool(spec.get("normalize", False)),
            pattern=compile_pattern(pattern) if pattern is not None else None,
        )

    def lacks(self, expected: Mapping[str, Any] | None) -> str | None:
        """What an item's `expected` lacks for this axis (`has no expected 'spanish'`), or None.

        `gate validate` asks this of every corpus item before a run; `score`
        asks it again of each item it is given, which a smoke round samples.
        """
        if self.scorer == "regex":
            return None
        want = read(expected, self.expected) if expected is not None else MISSING
        if want is MISSING:
            return f"has no expected '{self.expected}'"
        if not isinstance(want, Mapping if self.scorer == "json_keys" else str):
            return (
                f"has an expected '{self.expected}' that is {type(want).__name__}, not {self.wants}"
            )
        return None

    @property
    def wants(self) -> str:
        """What the axis compares with: `a string`, or `an object` for json_keys."""
        return "an object" if self.scorer == "json_keys" else "a string"

    def score(self, response: Any, expected: Mapping[str, Any] | None) -> tuple[float, str]:
        """(score, note); raises Unscorable when the item gives nothing to compare with."""
        got = read(response, self.field)
        if self.scorer == "regex":
            return self._text(got, "", _regex(self.pattern))
        problem = self.lacks(expected)
        if problem is not None:
            raise Unscorable(f"the item {problem} for axis {self.name}")
        assert expected is not None  # lacks() says so otherwise
        want = read(expected, self.expected)
        if self.scorer == "json_keys":
            return _json_keys(got, want)
        return self._text(got, want, _TEXT_SCORERS[self.scorer])

    def _text(self, got: Any, want: str, scorer: Callable[[str, str], float]) -> tuple[float, str]:
        if got is MISSING:
            return 0.0, f"'{self.field}' is missing"
        if not isinstance(got, str):
            return 0.0, f"'{self.field}' is {type(got).__name__}, not a string"
        seen, meant = (_normalised(got), _normalised(want)) if self.normalize else (got, want)
        value = scorer(seen, meant)
        if value < 1.0 and self.scorer == "exact":
            # Long texts often share a beginning; show them from where they part.
            pairs = enumerate(zip(got, want, strict=False))
            start = next((i for i, (a, b) in pairs if a != b), min(len(got), len(want)))
            if start > _NOTE_CHARS // 2:
                tail = f"expected {shown(want[start:])}, got {shown(got[start:])}"
                return value, f"from character {start + 1}, {tail}"
        return value, f"expected {_WANTED[self.scorer](shown(want))}, got {shown(got)}"


def _exact(got: str, want: str) -> float:
    return 1.0 if got == want else 0.0


def _contains(got: str, want: str) -> float:
    return 1.0 if want in got else 0.0


def _chrf_score(got: str, want: str) -> float:
    # sacrebleu reports chrF from 0 to 100; every axis speaks 0 to 1.
    score = float(_chrf().sentence_score(got, [want]).score)
    return min(1.0, max(0.0, score / 100.0))


def _regex(pattern: Pattern | None) -> Callable[[str, str], float]:
    assert pattern is not None  # check_params makes sure a regex axis has one

    def matches(got: str, _want: str) -> float:
        return 1.0 if pattern.search(got) else 0.0

    return matches


def _json_keys(got: Any, want: Mapping[str, Any]) -> tuple[float, str]:
    if not isinstance(got, Mapping):
        kind = "missing" if got is MISSING else type(got).__name__
        return 0.0, f"the answer is {kind}, not an object"
    if not want:
        return 1.0, "no keys expected"
    absent = [key for key in want if key not in got]
    note = f"missing keys {', '.join(absent)}" if absent else "every expected key present"
    return (len(want) - len(absent)) / len(want), note


# What a text scorer wanted, for the note: `expected 'Hola.', got ''`.
_WANTED: dict[str, Callable[[str], str]] = {
    "exact": lambda want: want,
    "chrf": lambda want: want,
    "contains": lambda want: f"a text containing {want}",
    "regex": lambda want: "a match of the axis's pattern",
}

_TEXT_SCORERS: dict[str, Callable[[str, str], float]] = {
    "exact": _exact,
    "contains": _contains,
    "chrf": _chrf_score,
}
