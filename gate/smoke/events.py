"""The bake's event log: JSON Lines, each line flushed to disk as it happens.

Every line carries a UTC timestamp, the bake it belongs to and its event, so a
postmortem timeline can be built from it, and a runner killed mid-bake loses
at most the round in flight. The file is appended to, never rewritten: lines
of several bakes can share it and are told apart by `bake`.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import orjson

from gate.errors import GateError, display_path


def utc_now() -> str:
    """The time now, as 2026-08-14T09:31:02.123Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class EventLog:
    """Appends events to a file (or nowhere, when no path is given)."""

    def __init__(self, path: Path | None, bake_id: str) -> None:
        self.path = path
        self.bake_id = bake_id
        self._stream: IO[bytes] | None = None
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._stream = path.open("ab")
            except OSError as exc:
                raise GateError(
                    f"{display_path(path)}: cannot open the event log: {exc.strerror}"
                ) from None

    def write(self, event: str, **fields: Any) -> dict[str, Any]:
        """Append one event and make sure it is on disk before returning it."""
        line = {"ts": utc_now(), "bake": self.bake_id, "event": event, **fields}
        if self._stream is not None:
            self._stream.write(orjson.dumps(line, default=str) + b"\n")
            self._stream.flush()
            os.fsync(self._stream.fileno())
        return line

    def close(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
