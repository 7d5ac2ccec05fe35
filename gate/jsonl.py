"""Reading JSON Lines a block at a time, with the line number of every value."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import orjson

from gate.errors import InputError, open_input

#: The longest line read, in bytes; a longer one is an error rather than a memory spike.
MAX_LINE_BYTES = 10 * 1024 * 1024
#: How much is read at once. Lines are parsed and checked a block at a time, so
#: the work per line stays in C; 32 KiB measured fastest (benchmarks/README.md).
BLOCK_BYTES = 32 * 1024

#: Counts (a lower bound on) the keys of a block's parsed values; see iter_jsonl_blocks.
KeyCounter = Callable[[list[Any]], int]

_BOM = b"\xef\xbb\xbf"
# A key ends with a quote, optional blanks, then a colon; a string's own quotes are escaped.
_KEY_END = re.compile(rb'"[ \t\r\n]*:')
_BLANK_COLONS = (b" :", b"\t:", b"\r:", b"\n:")
_DICT = frozenset((dict,))


def top_level_keys(values: list[Any]) -> int:
    """The keys of a block of objects, at the top level only: the default key counter."""
    if set(map(type, values)) <= _DICT:
        return sum(map(len, values))
    return 0


def iter_jsonl(
    path: Path, *, what: str, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, Any]]:
    """Yield (line number, value) for each non-blank line; a bad line is an InputError.

    See iter_jsonl_blocks, which this reads: the same checks, a value at a time.
    """
    for numbers, values in iter_jsonl_blocks(path, what=what, max_line_bytes=max_line_bytes):
        yield from zip(numbers, values, strict=True)


def iter_jsonl_blocks(
    path: Path,
    *,
    what: str,
    count_keys: KeyCounter = top_level_keys,
    max_line_bytes: int = MAX_LINE_BYTES,
    block_bytes: int | None = None,
) -> Iterator[tuple[Sequence[int], list[Any]]]:
    """Yield (line numbers, values) a block of lines at a time; a bad line is an InputError.

    The file is streamed and no line is read past `max_line_bytes`, so memory
    stays flat however long the file or a line is. A BOM and CRLF line ends
    are accepted, since editors on every platform produce them, and blank lines
    are skipped. A key repeated within one object is an error: JSON readers
    differ on which copy they keep. The values before a bad line are yielded
    before its error is raised.

    `count_keys` gives a lower bound on the keys in a block's values; a caller
    that knows its lines' shape (a corpus item, a recorded answer) counts the
    nested objects too, which lets a whole block pass the repeated-key check
    in a few calls into C. `block_bytes` defaults to BLOCK_BYTES.
    """
    size = block_bytes or BLOCK_BYTES
    handle = open_input(path, what)
    with handle:
        number = 0  # the lines read before this block
        over = max_line_bytes + 1
        while True:
            block = _read(handle, path, what, number, size)
            if not block:
                return
            if block[-1:] != b"\n":
                # Finish the block's last line, reading at most one byte past the limit.
                block += _read(handle, path, what, number, over, whole_line=True)
            if not number and block.startswith(_BOM):
                block = block[len(_BOM) :]
            lines = block.split(b"\n")
            if not lines[-1]:
                lines.pop()
            fast = _fast_block(block, lines, count_keys, max_line_bytes)
            if fast is not None:
                yield range(number + 1, number + 1 + len(lines)), fast
            else:
                yield from _slow_block(path, what, lines, number, block, max_line_bytes)
            number += len(lines)


def _read(
    handle: IO[bytes], path: Path, what: str, number: int, size: int, *, whole_line: bool = False
) -> bytes:
    try:
        return handle.readline(size) if whole_line else handle.read(size)
    except OSError as exc:
        raise InputError(path, f"{what} cannot be read: {exc.strerror}", line=number + 1) from None


def _fast_block(
    block: bytes, lines: list[bytes], count_keys: KeyCounter, max_line_bytes: int
) -> list[Any] | None:
    """The block's values when every line is short, non-blank, valid and repeats no key."""
    # A line with its line end must fit the limit; the last may lack its line end.
    # No line is longer than its block, so the usual block needs no measuring.
    if len(block) > max_line_bytes and max(map(len, lines)) >= max_line_bytes:
        return None
    try:
        values = list(map(orjson.loads, lines))
    except orjson.JSONDecodeError:  # a blank or a bad line: the slow path says which
        return None
    # Every key is followed by a colon: when the block holds no more colons than
    # its values hold keys, no key can repeat. When no blank comes right before
    # a colon, every key's closing quote is right before its colon, so colons
    # in text count only after a quote. Nested objects the counter does not
    # reach, or quotes before colons in text, send the block on line by line.
    keys = count_keys(values)
    colons = block.count(b":")
    if colons <= keys:
        return values
    if not any(map(block.__contains__, _BLANK_COLONS)):
        colons = block.count(b'":')
        if colons <= keys:
            return values
    if colons <= sum(map(_keys_near_top, values)):
        return values
    return None


def _keys_near_top(value: Any) -> int:
    """The keys of an object and of the objects directly inside it."""
    if type(value) is not dict:
        return 0
    keys = len(value)
    for inner in value.values():
        if type(inner) is dict:
            keys += len(inner)
    return keys


def _slow_block(
    path: Path, what: str, lines: list[bytes], number: int, block: bytes, max_line_bytes: int
) -> Iterator[tuple[list[int], list[Any]]]:
    """The block line by line, to skip its blank lines and name the first bad one."""
    numbers: list[int] = []
    values: list[Any] = []
    last = len(lines) - 1
    for index, raw in enumerate(lines):
        at = number + index + 1
        ended = index < last or block.endswith(b"\n")
        try:
            if len(raw) + ended > max_line_bytes:
                raise _too_long(path, at, max_line_bytes)
            value = _line_value(path, what, at, raw)
        except InputError:
            if values:
                yield numbers, values
            raise
        if value is not _BLANK:
            numbers.append(at)
            values.append(value)
    if values:
        yield numbers, values


_BLANK = object()


def _line_value(path: Path, what: str, number: int, raw: bytes) -> Any:
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        if not raw.strip():
            return _BLANK
        raise _line_error(path, what, number, raw, exc) from None
    if raw.count(b":") <= _keys_near_top(value):
        return value
    problem = _repeat_problem(raw, value)
    if problem is not None:
        raise InputError(
            path,
            f"line {problem}",
            line=number,
            fix="keep each key once; JSON readers differ on which copy they keep",
        )
    return value


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


def _all_keys(value: Any) -> int:
    """Every key of every object in `value`, however deep."""
    keys, stack = 0, [value]
    while stack:
        current = stack.pop()
        if type(current) is dict:
            keys += len(current)
            stack.extend(current.values())
        elif type(current) is list:
            stack.extend(current)
    return keys


def _repeat_problem(raw: bytes, value: Any) -> str | None:
    """Why some object on the line repeats a key, if one does; cheap unless the line looks suspect.

    orjson keeps the last of repeated keys, so the parsed value holds fewer keys
    than the text when one repeats. The text cannot hold more keys than it has
    key-like endings (a quote, blanks, a colon): when the value holds that many
    keys, none repeats. Only the rare lines where the count leaves room for a
    repeat are parsed again, keeping every pair.
    """
    if len(_KEY_END.findall(raw)) <= _all_keys(value):
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
