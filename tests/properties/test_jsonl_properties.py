"""gate.jsonl.iter_jsonl on arbitrary lines, and the repeated-key check against a slow oracle."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.errors import InputError
from gate.jsonl import iter_jsonl, iter_jsonl_blocks
from tests.properties.strategies import (
    failed,
    input_error_or,
    json_scalars,
    json_values,
    line_ends,
    messages,
    write,
)


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("jsonl") / "file.jsonl"


def _read(path: Path) -> list[tuple[int, Any]]:
    return list(iter_jsonl(path, what="corpus"))


@given(st.binary(max_size=400))
def test_arbitrary_bytes(path: Path, data: bytes) -> None:
    outcome = input_error_or(lambda: _read(write(path, data)))
    if not failed(outcome):
        assert isinstance(outcome, list)
        numbers = [number for number, _ in outcome]
        assert numbers == sorted(set(numbers))


@given(
    st.lists(json_values, max_size=6),
    line_ends,
    st.booleans(),
    st.lists(st.sampled_from(["", " ", "\t"]), max_size=6),
)
def test_what_a_json_writer_produces_reads_back_the_same(
    path: Path, values: list[Any], line_end: str, bom: bool, blanks: list[str]
) -> None:
    lines = [json.dumps(value, ensure_ascii=False) for value in values]
    for index, blank in enumerate(blanks):
        lines.insert(min(index * 2, len(lines)), blank)
    text = "".join(line + "\n" for line in lines)
    read = _read(write(path, text, line_end=line_end, bom=bom))
    assert [value for _, value in read] == values
    assert [lines[number - 1] for number, _ in read] == [line for line in lines if line.strip()]


# Objects written pair by pair, so a key can be written twice, with the spacing,
# escapes and nesting any JSON writer might use.

_keys = st.text(alphabet=st.sampled_from('abk:"\\ é'), min_size=0, max_size=4)
_space = st.sampled_from(["", " ", "  ", "\t"])


@st.composite
def _objects(draw: st.DrawFn, depth: int = 0) -> tuple[str, dict[str, Any], bool]:
    """(JSON text, the value a last-wins reader keeps, whether a key repeats)."""
    keys = draw(st.lists(_keys, max_size=5))
    if keys and draw(st.booleans()):
        keys.append(draw(st.sampled_from(keys)))  # a repeat, somewhere in the object
        keys = draw(st.permutations(keys))
    pairs, kept, repeats = [], {}, len(set(keys)) < len(keys)
    for key in keys:
        if depth < 3 and draw(st.integers(0, 3)) == 0:
            text, value, inner = draw(_objects(depth + 1))
            repeats = repeats or inner
        else:
            value = draw(json_scalars)
            text = json.dumps(value, ensure_ascii=draw(st.booleans()))
        written = json.dumps(key, ensure_ascii=draw(st.booleans()))
        pairs.append(f"{written}{draw(_space)}:{draw(_space)}{text}")
        kept[key] = value
    return "{" + f",{draw(_space)}".join(pairs) + "}", kept, repeats


@given(_objects())
def test_a_repeated_key_is_always_found_and_never_imagined(
    path: Path, case: tuple[str, dict[str, Any], bool]
) -> None:
    text, kept, repeats = case
    outcome = input_error_or(lambda: _read(write(path, text + "\n")))
    if repeats:
        assert failed(outcome), text
        assert messages(outcome)[0].startswith("line repeats the key")
    else:
        assert outcome == [(1, kept)], text


def _outcome_in_blocks(path: Path, block_bytes: int, limit: int) -> Any:
    def read() -> list[tuple[int, Any]]:
        pairs: list[tuple[int, Any]] = []
        try:
            for numbers, values in iter_jsonl_blocks(
                path, what="corpus", block_bytes=block_bytes, max_line_bytes=limit
            ):
                pairs.extend(zip(numbers, values, strict=True))
        except InputError as error:
            # What was read before the error counts: a block yields its good lines first.
            return [*pairs, ("error", str(error))]  # type: ignore[list-item]
        return pairs

    return read()


@given(
    st.lists(
        st.sampled_from(
            [
                b'{"id": "a", "prompt": "x: y"}',
                b'{"id": "b", "response": {"spanish": "s", "english": "e"}}',
                b'{"a": {"b": {"c": 1}}}',
                b'{"a": 1, "a": 2}',
                b'{"a":1,"a":"\\u003a"}',
                b"",
                b"   ",
                b"{not json",
                b'"just a string: with a colon"',
                b"[1, 2]",
                b'{"long": "' + b"z" * 60 + b'"}',
            ]
        ),
        max_size=12,
    ),
    line_ends,
    st.integers(min_value=1, max_value=80),
    st.sampled_from([40, 80, 10 * 1024 * 1024]),
)
def test_block_size_never_changes_what_is_read(
    path: Path, lines: list[bytes], line_end: str, block_bytes: int, limit: int
) -> None:
    # Lines that straddle blocks, blanks and bad lines read the same in any block size.
    data = b"".join(line + line_end.encode() for line in lines)
    write(path, data)
    expected = _outcome_in_blocks(path, 1 << 20, limit)
    assert _outcome_in_blocks(path, block_bytes, limit) == expected
