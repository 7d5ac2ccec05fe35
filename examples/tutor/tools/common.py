"""Paths and readers shared by the data tools."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]
TUTOR_DIR = REPO_ROOT / "examples" / "tutor"
LESSONS = TUTOR_DIR / "lessons.jsonl"
PORTAL_LOG = TUTOR_DIR / "portal-log.jsonl"
REGRESSION = REPO_ROOT / "corpora" / "regression.jsonl"
EVAL = REPO_ROOT / "corpora" / "eval.jsonl"
BASELINE_MANIFEST = REPO_ROOT / "releases" / "v2.3.4.yaml"

# Budgets whose fit the stats report; 16 and 32 are the two releases.
BUDGETS = (16, 20, 24, 32)


@dataclass(frozen=True)
class LessonRow:
    """A lessons-table line with the bookkeeping keys the tutor ignores."""

    prompt: str
    english: str
    spanish: str
    topic: str
    origin: str


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """Read a JSON-lines file, skipping blank lines."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    """Write rows as JSON lines, keeping non-ASCII text readable."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_jsonl(rows), encoding="utf-8")


def render_jsonl(rows: list[dict[str, Any]]) -> str:
    """Render rows exactly as ``write_jsonl`` stores them."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


def read_lesson_rows(path: Path = LESSONS) -> list[LessonRow]:
    """Read the lessons table including its topic and origin keys."""
    return [
        LessonRow(r["prompt"], r["english"], r["spanish"], r["topic"], r["origin"])
        for r in read_jsonl(path)
    ]
