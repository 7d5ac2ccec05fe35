"""Derive the regression corpus and the portal log sample from the lessons table.

The lessons table is the one hand-edited source: every expected answer and
every logged response comes from it through the tutor's own decoder under
the baseline release, so the files cannot drift from what the tutor says.
The portal log is a seeded sample, so rebuilding it is reproducible.

Run ``python -m examples.tutor.tools.build_corpora`` to rewrite both files,
or add ``--check`` to fail when they are out of date.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..lessons import Lesson
from ..manifest import Manifest, load_manifest
from ..model import answer_tokens, decode
from .common import (
    BASELINE_MANIFEST,
    PORTAL_LOG,
    REGRESSION,
    LessonRow,
    read_lesson_rows,
    render_jsonl,
)

# Answers longer than this sit in the upper tail of the length distribution.
LONG_TAIL_TOKENS = 16
SEED = 20260811
SHORT_SAMPLE_SHARE = 0.9
REPEATS = 48
LOG_DAYS = ("2026-08-11", "2026-08-12", "2026-08-13")
# Quiz sessions run during school hours, UTC.
LOG_HOURS = (8 * 3600, 14 * 3600 + 30 * 60)


def _answer(row: LessonRow, manifest: Manifest) -> dict[str, str]:
    answer = decode(Lesson(row.prompt, row.english, row.spanish), manifest)
    return {"english": answer.english, "spanish": answer.spanish}


def _is_long(row: LessonRow) -> bool:
    return answer_tokens(row.english, row.spanish) > LONG_TAIL_TOKENS


def regression_rows(lessons: list[LessonRow], manifest: Manifest) -> list[dict[str, Any]]:
    """Every curated lesson except the capstone ones, as regression items."""
    curated = [r for r in lessons if r.origin == "curated" and r.topic != "capstone"]
    return [
        {
            "id": f"rg-{number:04d}",
            "prompt": row.prompt,
            "expected": _answer(row, manifest),
            "tags": [row.topic, "long-tail"] if _is_long(row) else [row.topic],
            "source": "curated",
        }
        for number, row in enumerate(curated, start=1)
    ]


def _as_typed(prompt: str, rng: random.Random) -> str:
    # Learners type carelessly; the tutor's lookup forgives case and spacing.
    style = rng.randrange(3)
    if style == 0:
        return prompt.lower()
    if style == 1:
        return prompt.replace(" ", "  ", 1)
    return prompt


def _timestamps(count: int, rng: random.Random) -> list[str]:
    moments = []
    for _ in range(count):
        day = datetime.fromisoformat(rng.choice(LOG_DAYS)).replace(tzinfo=UTC)
        moments.append(day + timedelta(seconds=rng.randint(*LOG_HOURS)))
    return [m.strftime("%Y-%m-%dT%H:%M:%SZ") for m in sorted(moments)]


def portal_rows(lessons: list[LessonRow], manifest: Manifest) -> list[dict[str, Any]]:
    """A seeded sample of quiz-module traffic answered by the baseline release."""
    rng = random.Random(SEED)
    pool = [r for r in lessons if r.topic != "capstone"]
    picked = [
        r for r in pool if r.origin == "quiz" or _is_long(r) or rng.random() < SHORT_SAMPLE_SHARE
    ]
    # Long prompts come back more often: learners retry the ones they got wrong.
    weights = [3.0 if _is_long(r) else 1.0 for r in pool]
    repeats = rng.choices(pool, weights=weights, k=REPEATS)
    typed = [(r, r.prompt) for r in picked] + [(r, _as_typed(r.prompt, rng)) for r in repeats]
    rng.shuffle(typed)
    return [
        {
            "ts": ts,
            "request_id": f"qz-{rng.getrandbits(48):012x}",
            "prompt": prompt,
            "response": _answer(row, manifest),
            "release": manifest.version,
            "module": "quiz",
        }
        for ts, (row, prompt) in zip(_timestamps(len(typed), rng), typed, strict=True)
    ]


def build() -> dict[Path, str]:
    """Return the text each derived file should hold."""
    lessons = read_lesson_rows()
    manifest = load_manifest(BASELINE_MANIFEST)
    return {
        REGRESSION: render_jsonl(regression_rows(lessons, manifest)),
        PORTAL_LOG: render_jsonl(portal_rows(lessons, manifest)),
    }


def main(argv: list[str] | None = None) -> int:
    """Rewrite the derived files, or with --check report stale ones."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--check", action="store_true", help="fail if a derived file is stale")
    args = parser.parse_args(argv)
    stale = 0
    for path, text in build().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == text:
            continue
        if args.check:
            print(f"stale: {path}", file=sys.stderr)
            stale += 1
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
