"""`gate run --record`: every answer of a run, in the file the recorded target reads back.

One line per item asked, in the order asked (corpus order):

    {"id": "rg-0001", "response": {...}, "timing": {"first_byte_s": 0.01, "total_s": 0.02}}
    {"id": "rg-0002", "response": null, "error": "POST ...: HTTP 503", "cause": "http_5xx"}

`timing` is left out when the target measured none. What live checks read
from the service goes beside it, in `<name>.gets.jsonl`, one line per page
(`{"get": "/metrics", "text": "..."}`, or its `error`). The file is streamed as
the run goes and renamed into place when it ends, so a run that is stopped
leaves the previous recording or none, never half of one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from gate.checks import CheckSpec
from gate.observers import RunObserver
from gate.reports.atomic import open_atomic
from gate.targets.base import AnsweredBlock, Timing
from gate.targets.recorded import gets_path


def timing_json(timing: Timing) -> dict[str, float]:
    """`{"first_byte_s": ..., "total_s": ...}`: a Timing as a recording keeps it."""
    return {"first_byte_s": timing.first_byte_s, "total_s": timing.total_s}


def block_lines(block: AnsweredBlock) -> Iterator[dict[str, Any]]:
    """The recording's line for each item of `block`."""
    timings = block.timings
    for index, item in enumerate(block.items):
        body = block.bodies[index]
        line: dict[str, Any] = {"id": item.id, "response": body}
        if body is None:
            answer = block.missed[index]
            line["error"], line["cause"] = answer.error, answer.cause
        timing = timings[index] if timings is not None else None
        if timing is not None:
            line["timing"] = timing_json(timing)
        yield line


class Recorder(RunObserver):
    """Writes a run's answers and GETs to `stream`, each line with the target's secrets masked.

    Args:
        stream: where the lines go (from `record_to`).
        redact: the target's masking of its secrets, since a service may echo a header back.
    """

    def __init__(self, stream: BinaryIO, redact: Callable[[str], str]) -> None:
        self.stream = stream
        self.redact = redact
        self.gets: list[bytes] = []  # a few pages, written beside the answers at the end

    def _line(self, line: dict[str, Any]) -> bytes:
        return self.redact(orjson.dumps(line).decode("utf-8")).encode("utf-8") + b"\n"

    def answered(self, block: AnsweredBlock, checks: Sequence[CheckSpec]) -> None:
        self.stream.write(b"".join(map(self._line, block_lines(block))))

    def fetched(self, path: str, text: str | None, error: str | None) -> None:
        line = {"get": path, "text": text} if error is None else {"get": path, "error": error}
        self.gets.append(self._line(line))


@contextlib.contextmanager
def record_to(path: Path, redact: Callable[[str], str]) -> Iterator[Recorder]:
    """A Recorder writing `path` atomically: all of it when the block ends, none if it raises.

    The pages live checks read are written first, to `gets_path(path)`; a
    recording that read none removes an older one there, so a replay never
    takes another run's pages.
    """
    with open_atomic(path, "the recording") as stream:
        recorder = Recorder(stream, redact)
        yield recorder
        beside = gets_path(path)
        if recorder.gets:
            with open_atomic(beside, "the recording") as gets:
                gets.write(b"".join(recorder.gets))
        else:
            beside.unlink(missing_ok=True)
