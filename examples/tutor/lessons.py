"""The lessons table: the answers the tutor knows, keyed by normalised prompt."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

DEFAULT_LESSONS = Path(__file__).with_name("lessons.jsonl")

# What the tutor glosses when a prompt is not in the table. It is a visible
# placeholder rather than an attempted translation, so a reviewer can tell a
# miss from a wrong answer at a glance.
FALLBACK_GLOSS = "(sin glosa en el repertorio)"


@dataclass(frozen=True)
class Lesson:
    """One known answer: the corrected English and its Spanish gloss."""

    prompt: str
    english: str
    spanish: str


def normalise_prompt(prompt: str) -> str:
    """Collapse whitespace and fold case so trivially different prompts match."""
    return " ".join(prompt.split()).casefold()


def fallback_lesson(prompt: str) -> Lesson:
    """Build the deterministic answer for a prompt missing from the table.

    The English is the prompt with whitespace collapsed, the first letter
    capitalised and a final period added unless it already ends a sentence.
    """
    english = " ".join(prompt.split())
    if english:
        english = english[0].upper() + english[1:]
        if english[-1] not in ".!?":
            english += "."
    return Lesson(prompt=prompt, english=english, spanish=FALLBACK_GLOSS)


class LessonTable:
    """Read-only lookup from prompt to lesson."""

    def __init__(self, lessons: list[Lesson]) -> None:
        self._by_key: dict[str, Lesson] = {}
        for lesson in lessons:
            key = normalise_prompt(lesson.prompt)
            if key in self._by_key:
                raise ValueError(f"duplicate lesson prompt: {lesson.prompt!r}")
            self._by_key[key] = lesson

    def __len__(self) -> int:
        return len(self._by_key)

    def __contains__(self, prompt: object) -> bool:
        return isinstance(prompt, str) and normalise_prompt(prompt) in self._by_key

    def lookup(self, prompt: str) -> Lesson:
        """Return the lesson for ``prompt``, or the fallback when it is unknown."""
        return self._by_key.get(normalise_prompt(prompt)) or fallback_lesson(prompt)


def load_lessons(path: Path = DEFAULT_LESSONS) -> LessonTable:
    """Load a JSON-lines lessons file; extra keys on a line are ignored."""
    lessons: list[Lesson] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            row = json.loads(line)
            try:
                lessons.append(Lesson(str(row["prompt"]), str(row["english"]), str(row["spanish"])))
            except (KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: malformed lesson") from exc
    return LessonTable(lessons)
