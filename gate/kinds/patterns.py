"""Regular expressions from check params, matched in linear time where RE2 is available.

A pattern in a check file meets every answer of a corpus; Python's backtracking
engine can take exponential time on a pattern such as `(a+)+$`, so RE2 (the
`google-re2` package) runs them when it is installed. Without it, Python's `re`
is used on answers cut to MAX_TEXT characters, which bounds the damage.
"""

from __future__ import annotations

import re
from typing import Any, Protocol

MAX_TEXT = 10_000

try:
    import re2
except ImportError:  # pragma: no cover - google-re2 is a dependency; this is the fallback
    re2 = None

ENGINE = "re2" if re2 is not None else "re"


class Pattern(Protocol):
    """What a compiled pattern offers: a search anywhere in a text."""

    def search(self, text: str) -> Any: ...  # a match object, or None


class _Capped:
    """Python's `re` on a bounded prefix of the text."""

    def __init__(self, compiled: re.Pattern[str]) -> None:
        self.compiled = compiled

    def search(self, text: str) -> Any:
        return self.compiled.search(text[:MAX_TEXT])


class PatternError(ValueError):
    """A pattern the engine refuses, with the engine's reason."""


def compile_pattern(pattern: str) -> Pattern:
    """Compile `pattern` with RE2 when available; raise PatternError when it is invalid."""
    if re2 is not None:
        options = re2.Options()
        options.log_errors = False  # RE2 would print its own copy of the error to stderr
        try:
            compiled: Pattern = re2.compile(pattern, options)
        except re2.error as exc:
            reason = exc.args[0] if exc.args else "invalid pattern"
            text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
            raise PatternError(text) from None
        return compiled
    try:
        return _Capped(re.compile(pattern))
    except re.error as exc:
        raise PatternError(str(exc)) from None
