"""The deterministic stand-in for the tutor's language model.

Decoding mirrors the production tutor: the English correction is produced
first and the Spanish gloss second, both paid for out of one token budget.
When the gloss does not fit in what the correction left over, it is dropped
whole rather than cut mid-word, which is how the empty-gloss incident looked.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from .lessons import Lesson, normalise_prompt
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
    decoded: int = 0  # tokens the model generated, a dropped gloss's included: what it took


def untranslated(prompt: str, one_in: int) -> bool:
    """Whether a release with `untranslated_one_in: one_in` skips the translation of `prompt`.

    One prompt in `one_in`, chosen by a CRC-32 of the prompt as the tutor
    matches it, so the same prompts are chosen every time: at 14, 20 of the
    338 regression prompts.
    """
    return one_in > 0 and zlib.crc32(normalise_prompt(prompt).encode("utf-8")) % one_in == 0


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
        return Answer(english=truncate_tokens(lesson.english, budget), spanish="", decoded=budget)
    gloss = cut_at_stop(lesson.spanish, manifest.stop_sequences)
    decoded = english_cost + count_tokens(gloss)
    if decoded > budget:
        # Decoded until the budget ran out, then dropped whole.
        gloss, decoded = "", budget
    # A release that skips the translation answers the English again as the gloss:
    # never empty, so only a check of its language sees it.
    if gloss and untranslated(lesson.prompt, manifest.untranslated_one_in):
        gloss = lesson.english
    # The label is added by the response formatter after decoding, so it is
    # free and never decorates a gloss that was dropped.
    if gloss and manifest.spanish_label:
        gloss = manifest.spanish_label + gloss
    return Answer(english=lesson.english, spanish=gloss, decoded=decoded)


def fits(lesson: Lesson, budget: int) -> bool:
    """Tell whether the whole answer survives a budget of ``budget`` tokens."""
    return answer_tokens(lesson.english, lesson.spanish) <= budget


def answer_tokens(english: str, spanish: str) -> int:
    """Return what a full answer costs: its English plus its Spanish tokens."""
    return count_tokens(english) + count_tokens(spanish)
