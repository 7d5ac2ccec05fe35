"""Reading JSON Lines one line at a time, with the line number of every value."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from gate.errors import InputError

#: The longest line read, in bytes; a longer one is an error rather than a memory spike.
MAX_LINE_BYTES = 10 * 1024 * 1024

_BOM = b"\xef\xbb\xbf"
# A key ends with a quote, optional blanks, then a colon; a string's own quotes are escaped.
_KEY_END = re.compile(rb'"[ \t\r\n]*:')


def iter_jsonl(
    path: Path, *, what: str, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, Any]]:
    """Yield (line number, value) for each non-blank line; a bad line is an InputError.

    The file is streamed and no line is read past `max_line_bytes`, so memory
    stays flat however long the file or a line is. A BOM and CRLF line ends
    are accepted, since editors on every platform produce them. A key repeated
    within one object is an error: JSON readers differ on which copy they keep.
    """
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise InputError(path, f"{what} not found", fix=f"create {path} or fix the path") from None
    except IsADirectoryError:
        raise InputError(path, f"{what} is a directory, not a file") from None
    except OSError as exc:
        raise InputError(path, f"{what} cannot be read: {exc.strerror}") from None
    loads, decode_error = orjson.loads, orjson.JSONDecodeError
    with handle:
        number = 0
        readline, over = handle.readline, max_line_bytes + 1
        while True:
            try:
                raw = readline(over)
            except OSError as exc:
                raise InputError(
                    path, f"{what} cannot be read: {exc.strerror}", line=number + 1
                ) from None
            if not raw:
                break
            number += 1
            if len(raw) == over:
                raise _too_long(path, number, max_line_bytes)
            if number == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM) :]
            try:
                value = loads(raw)
            except decode_error as exc:
                # Parsing first and asking why only on failure keeps the common
                # line to one call: a blank line is rare, and orjson refuses it too.
                if not raw.strip():
                    continue
                raise _line_error(path, what, number, raw, exc) from None
            # Every key is followed by a colon: with no more colons than keys in
            # the object and the objects directly inside it, no key can repeat,
            # and almost every line of a corpus or a recorded file stops here.
            if type(value) is dict:
                keys = len(value)
                for inner in value.values():
                    if type(inner) is dict:
                        keys += len(inner)
            else:
                keys = 0
            if raw.count(b":") <= keys:
                yield number, value
                continue
            problem = _repeat_problem(raw, value)
            if problem is not None:
                raise InputError(
                    path,
                    f"line {problem}",
                    line=number,
                    fix="keep each key once; JSON readers differ on which copy they keep",
                )
            yield number, value


def _too_long(path: Path, number: int, limit: int) -> InputError:
    # Reading one byte past the limit tells a line at the limit from a longer one
    # without ever holding more than that in memory.
    return InputError(
        path,
        f"line is longer than the limit of {limit:,} bytes, so it was not read",
        line=number,
        fix="keep one JSON object per line and each object smaller; "
        "check the file is JSON Lines and not one large JSON document",
    )


def _repeat_problem(raw: bytes, value: Any) -> str | None:
    """Why some object on the line repeats a key, if one does; cheap unless the line looks suspect.

    orjson keeps the last of repeated keys, so the parsed value holds fewer keys
    than the text when one repeats. The text cannot hold more keys than it has
    key-like endings (a quote, blanks, a colon); the value's compact form gives
    a lower bound on its keys: each key ends in `":`, while a quote inside a
    string is escaped as `\\"`. Only the rare lines where the two bounds leave
    room for a repeat are parsed again, keeping every pair.
    """
    top = len(value) if type(value) is dict else 0
    ends = len(_KEY_END.findall(raw))
    if ends <= top:
        return None
    try:
        compact = orjson.dumps(value)
    except orjson.JSONEncodeError:  # nested past what orjson writes: check the slow way
        return _first_repeat(raw)
    if ends <= compact.count(b'":') - compact.count(b'\\":'):
        return None
    return _first_repeat(raw)


class _Repeated(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, item in pairs:
        if key in found:
            raise _Repeated(key)
        found[key] = item
    return found


def _first_repeat(raw: bytes) -> str | None:
    try:
        json.loads(raw, object_pairs_hook=_no_repeats)
    except _Repeated as repeated:
        return f"repeats the key '{repeated.key}' within one object"
    except RecursionError:
        # Too deep for Python's parser to check: refuse rather than risk a silent last-wins.
        return "nests objects too deeply to check them for repeated keys"
    except ValueError:
        # orjson read the line already; where the two parsers disagree, orjson's reading stands.
        return None
    return None


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
