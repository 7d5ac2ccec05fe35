"""Regular expressions from check params, run in linear time by RE2.

A pattern in a check file meets every answer of a corpus, and answers come from
a model. Python's backtracking engine can take exponential time on a pattern
such as `(a+)+$`, so a single check could stall the gate; RE2 (the google-re2
package) guarantees time linear in the text, and refuses the few constructs
that need backtracking (back-references, look-around) rather than run them.

A kind validates its patterns in `check_params` with `pattern_problem`, so a
bad one is an exit-2 message naming the check file, and compiles them in
`__init__` with `compile_pattern`.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Protocol


@cache
def _re2() -> tuple[Any, Any]:
    # RE2 is imported by the first pattern, not with the kinds that take one:
    # a project whose checks hold no pattern never loads it.
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would also print each error to stderr itself
    return re2, options


class Pattern(Protocol):
    """What a compiled pattern offers; the same calls as Python's `re.Pattern`."""

    pattern: str  # the source text

    def search(self, text: str) -> Any: ...  # a match object or None

    def fullmatch(self, text: str) -> Any: ...  # a match object or None

    def findall(self, text: str) -> list[Any]: ...  # every non-overlapping match


class PatternError(ValueError):
    """A pattern RE2 will not run, with its reason as a sentence."""


def compile_pattern(pattern: str) -> Pattern:
    """Compile `pattern` with RE2; raise PatternError when RE2 cannot run it."""
    re2, options = _re2()
    try:
        compiled: Pattern = re2.compile(pattern, options)
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "it is not a valid pattern"
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise PatternError(text) from None
    except (UnicodeEncodeError, TypeError):
        raise PatternError("it holds something that is not text") from None
    return compiled


def pattern_problem(pattern: str) -> str | None:
    """Why `pattern` cannot be used, as the end of a sentence about a param; None when it can.

    Meant for a kind's `check_params`, which reports `params.<key> <problem>`.
    """
    try:
        compile_pattern(pattern)
    except PatternError as exc:
        return (
            f"is not a pattern the gate can run: {exc} (patterns run on RE2, in linear time, "
            "without back-references or look-around)"
        )
    return None
