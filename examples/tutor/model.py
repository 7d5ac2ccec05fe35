"""The deterministic stand-in for the tutor's language model.

Decoding mirrors the production tutor: the English correction is produced
first and the Spanish gloss second, both paid for out of one token budget.
When the gloss does not fit in what the correction left over, it is dropped
whole rather than cut mid-word, which is how the empty-gloss incident looked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lessons import Lesson
from .manifest import Manifest

# A run of word characters is one token and every other non-space character
# is a token of its own, so "don't" costs three and "¿" costs one. Crude, but
# deterministic and independent of any tokenizer library.
TOKEN_PATTERN = re.compile(r"\w+|[^\w\s]")


def count_tokens(text: str) -> int:
    """Return how many tokens ``text`` costs under the tutor's rule."""
    return len(TOKEN_PATTERN.findall(text))


def truncate_tokens(text: str, limit: int) -> str:
    """Return the prefix of ``text`` made of its first ``limit`` tokens.

    The original spacing between the kept tokens is preserved.
    """
    if limit <= 0:
        return ""
    end = 0
    for index, match in enumerate(TOKEN_PATTERN.finditer(text)):
        if index == limit:
            break
        end = match.end()
    return text[:end]


@dataclass(frozen=True)
class Answer:
    """What the tutor returns for one prompt."""

    english: str
    spanish: str


def cut_at_stop(text: str, stops: tuple[str, ...]) -> str:
    """Cut ``text`` at the earliest occurrence of any stop sequence."""
    cut = len(text)
    for stop in stops:
        found = text.find(stop)
        if 0 <= found < cut:
            cut = found
    return text[:cut].rstrip()


def decode(lesson: Lesson, manifest: Manifest) -> Answer:
    """Spend ``manifest.max_decode_tokens`` on the lesson's answer."""
    budget = manifest.max_decode_tokens
    english_cost = count_tokens(lesson.english)
    if english_cost >= budget:
        return Answer(english=truncate_tokens(lesson.english, budget), spanish="")
    gloss = cut_at_stop(lesson.spanish, manifest.stop_sequences)
    if count_tokens(gloss) > budget - english_cost:
        gloss = ""
    # The label is added by the response formatter after decoding, so it is
    # free and never decorates a gloss that was dropped.
    if gloss and manifest.spanish_label:
        gloss = manifest.spanish_label + gloss
    return Answer(english=lesson.english, spanish=gloss)


def fits(lesson: Lesson, budget: int) -> bool:
    """Tell whether the whole answer survives a budget of ``budget`` tokens."""
    return answer_tokens(lesson.english, lesson.spanish) <= budget


def answer_tokens(english: str, spanish: str) -> int:
    """Return what a full answer costs: its English plus its Spanish tokens."""
    return count_tokens(english) + count_tokens(spanish)
