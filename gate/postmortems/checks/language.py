"""The blameless-language check: sentences aimed at a person rather than at the system."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gate.postmortems.checks import Issue
from gate.postmortems.model import Postmortem

#: Phrases that judge a person. Each is matched on one source line, without case.
BLAME_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\bshould(?:n't| not)? have\b",
        r"\b(?:be|been|being) more careful\b",
        r"\bhuman error\b",
        r"\bforgot to\b",
        r"\bcareless(?:ly|ness)?\b",
        r"\bfault of\b",
        r"\b\w+'s fault\b",
        r"\bnegligen(?:t|ce)\b",
    )
)
_FAILED_TO = re.compile(r"\b([\w'-]+) failed to\b", re.IGNORECASE)
# Any of the above, in one pass: most lines hold none, and are then searched once, not nine
# times. Which phrase a line shows is still found by the patterns in their order.
_ANY = re.compile("|".join(p.pattern for p in (*BLAME_PATTERNS, _FAILED_TO)), re.IGNORECASE)
# "X failed to" only blames when X is a person; "the deploy failed to" is a fact about the system.
_PRONOUNS = frozenset({"he", "she", "they", "someone", "somebody", "i", "we", "you"})
_CAPITALISED = re.compile(r"\b[^\W\d_][\w'-]*")


def people(pm: Postmortem) -> frozenset[str]:
    """Names of people the postmortem mentions: authors, owners and review attendees."""
    fields = [f.value for f in (*pm.header, *pm.review) if f.name in ("Authors", "Attendees")]
    fields += [item.owner for item in pm.action_items]
    words = (w for value in fields for w in _CAPITALISED.findall(value) if w[0].isupper())
    return frozenset(w.casefold() for w in words)


def blame_phrase(text: str, names: frozenset[str]) -> str | None:
    """The first phrase in a line that blames a person, or None."""
    if not _ANY.search(text):
        return None
    for pattern in BLAME_PATTERNS:
        match = pattern.search(text)
        if match:
            return match[0]
    for match in _FAILED_TO.finditer(text):
        if match[1].casefold() in names | _PRONOUNS:
            return match[0]
    return None


def blame_language(pm: Postmortem) -> Iterator[Issue]:
    """No line of prose blames a person; at most one issue per line."""
    names = people(pm)
    flagged: set[int] = set()  # table cells share their row's line
    for block in pm.blocks:
        for line, text in block.lines():
            phrase = blame_phrase(text, names)
            if phrase and line not in flagged:
                flagged.add(line)
                yield Issue(
                    line,
                    f"'{phrase}' blames a person",
                    "restate it against the system: what allowed it, "
                    "and what would catch it next time.",
                )
