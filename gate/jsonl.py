"""Reading JSON Lines one line at a time, with the line number of every value."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from gate.errors import InputError

_BOM = b"\xef\xbb\xbf"


def iter_jsonl(path: Path, *, what: str) -> Iterator[tuple[int, Any]]:
    """Yield (line number, value) for each non-blank line; a bad line is an InputError.

    The file is streamed, so memory stays flat however long it is. A BOM and
    CRLF line ends are accepted, since editors on every platform produce them.
    """
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(path, f"{what} not found", fix=f"create {path} or fix the path") from None
    except OSError as exc:
        raise InputError(path, f"{what} cannot be read: {exc.strerror}") from None
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    with handle:
        first = handle.readline()
        if first.startswith(_BOM):
            first = first[len(_BOM) :]
        lines = itertools.chain((first,), handle)
        # Parsing first and asking why only on failure keeps the common line
        # to one call: a blank line is the rare case, and orjson refuses it too.
        for number, raw in enumerate(lines, start=1):
            try:
                value = loads(raw)
            except decode_error as exc:
                if not raw.strip():
                    continue
                raise _line_error(path, what, number, raw, exc) from None
            yield number, value


def _line_error(
    path: Path, what: str, number: int, raw: bytes, exc: orjson.JSONDecodeError
) -> InputError:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return InputError(
            path,
            f"{what} is not UTF-8: byte 0x{raw[bad.start]:02x} cannot be decoded",
            line=number,
            column=bad.start + 1,
            fix="save the file as UTF-8",
        )
    # Parse again without the line end, so the column counts within the line.
    try:
        orjson.loads(raw.rstrip(b"\r\n"))
    except orjson.JSONDecodeError as again:
        exc = again
    return InputError(
        path,
        f"line is not valid JSON: {exc.msg}",
        line=number,
        column=exc.pos + 1,
        fix="write one complete JSON object per line",
    )
