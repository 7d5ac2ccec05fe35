"""The checks behind the lint rules; each yields `Issue`s and knows nothing of rule ids."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from gate.postmortems.model import Postmortem

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Issue:
    """One problem a check found: where, what is wrong, and how to fix it.

    `severity` overrides the rule's own, for the one finding that is only a
    warning in a template that does not ask for what is missing.
    """

    line: int
    message: str
    fix: str
    severity: Severity | None = None


#: A check reads a parsed postmortem and yields its issues.
Check = Callable[[Postmortem], Iterator[Issue]]

#: Cell values that only hold a place and say nothing.
PLACEHOLDERS = frozenset({"", "-", "—", "?", "??", "tbd", "tba", "n/a", "na", "none", "todo"})


def is_placeholder(value: str) -> bool:
    """True for an empty cell or one holding TBD, ?, n/a and the like."""
    return value.strip().casefold() in PLACEHOLDERS
