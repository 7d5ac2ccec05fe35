"""Judgments cached on disk, so a re-run pays only for the answers it has not judged yet.

One small JSON file per judgment, named by a SHA-256 of everything that can
change the verdict: the judging model, the rubric, the prompt template, the
item's prompt and the answer. Each is written atomically, so a run killed
half-way leaves whole entries or none, and shards writing at once never meet.
An entry that cannot be read is a miss, never a verdict.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import orjson

from gate.reports.atomic import write_atomic


def cache_key(parts: Sequence[str]) -> str:
    """The SHA-256 of the parts, each kept apart from the next (JSON, not joined text)."""
    return hashlib.sha256(orjson.dumps(list(parts))).hexdigest()


class JudgmentCache:
    """The judge's replies by key, under `folder` (None: nothing is cached)."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.hits = self.stored = 0

    def _path(self, key: str) -> Path:
        assert self.folder is not None
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str) -> str | None:
        """The reply cached under `key`, or None."""
        if self.folder is None:
            return None
        try:
            data = orjson.loads(self._path(key).read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return None
        reply = data.get("reply") if isinstance(data, dict) else None
        if not isinstance(reply, str):
            return None
        self.hits += 1
        return reply

    def put(self, key: str, model: str, reply: str) -> None:
        """Keep a reply that was read as a judgment."""
        if self.folder is None:
            return
        write_atomic(self._path(key), orjson.dumps({"model": model, "reply": reply}))
        self.stored += 1
