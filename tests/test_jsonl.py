"""JSON Lines: hostile lines give one sentence naming file and line, in bounded memory."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.errors import InputError
from gate.jsonl import MAX_LINE_BYTES, iter_jsonl
from gate.status import ExitCode
from tests.conftest import ProjectFactory


def _read(path: Path, data: bytes) -> list[tuple[int, object]]:
    path.write_bytes(data)
    return list(iter_jsonl(path, what="corpus"))


def _error(path: Path, data: bytes) -> str:
    with pytest.raises(InputError) as caught:
        _read(path, data)
    return str(caught.value).replace(str(path), "c.jsonl")


def test_a_100_mb_line_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    chunk = b"a" * (1024 * 1024)
    with path.open("wb") as stream:
        stream.write(b'{"id": "rg-0001", "prompt": "ok"}\n{"id": "rg-0002", "prompt": "')
        for _ in range(100):
            stream.write(chunk)
        stream.write(b'"}\n')
    tracemalloc.start()
    try:
        with pytest.raises(InputError) as caught:
            list(iter_jsonl(path, what="corpus"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value).replace(str(path), "c.jsonl") == (
        "c.jsonl:2: line is longer than the limit of 10,485,760 bytes, so it was not read\n"
        "  fix: keep one JSON object per line and each object smaller; "
        "check the file is JSON Lines and not one large JSON document"
    )
    assert peak < 3 * MAX_LINE_BYTES  # the read stops one byte past the limit


def test_a_line_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_bytes(b'{"a": "xx"}\n' + b'{"a": "xxx"}\n')  # 12 bytes, then 13
    lines = iter_jsonl(path, what="corpus", max_line_bytes=12)
    assert next(lines) == (1, {"a": "xx"})
    with pytest.raises(InputError) as caught:
        next(lines)
    assert caught.value.line == 2
    assert caught.value.message == ("line is longer than the limit of 12 bytes, so it was not read")


def test_nul_bytes_are_not_json(tmp_path: Path) -> None:
    assert _error(tmp_path / "c.jsonl", b'{"id": "a\x00b"}\n') == (
        "c.jsonl:1:10: line is not valid JSON: unexpected control character in string\n"
        "  fix: write one complete JSON object per line"
    )


def test_an_escaped_nul_is_a_character_like_any_other(tmp_path: Path) -> None:
    assert _read(tmp_path / "c.jsonl", b'{"id": "a\\u0000b"}\n') == [(1, {"id": "a\x00b"})]


def test_invalid_utf8_names_the_byte(tmp_path: Path) -> None:
    assert _error(tmp_path / "c.jsonl", b'{"id": "a"}\n{"id": "caf\xe9"}\n') == (
        "c.jsonl:2:12: corpus is not UTF-8: byte 0xe9 cannot be decoded\n"
        "  fix: save the file as UTF-8"
    )


def test_bom_crlf_and_blank_lines_are_accepted(tmp_path: Path) -> None:
    data = b'\xef\xbb\xbf{"id": "a"}\r\n\r\n{"id": "b"}\r\n'
    assert _read(tmp_path / "c.jsonl", data) == [(1, {"id": "a"}), (3, {"id": "b"})]


@pytest.mark.parametrize(
    ("line", "key"),
    [
        (b'{"id": "a", "prompt": "x", "id": "b"}', "id"),
        (b'{"id" : "a", "id" : "b"}', "id"),  # blanks before the colon
        (b'{"expected": {"spanish": "x", "spanish": ""}, "id": "a"}', "spanish"),
        (b'[{"a": 1}, {"b": 1, "b": 2}]', "b"),
        (b'{"prompt": "a: b: c", "id": "x", "id": "y"}', "id"),  # colons in text too
        (b'{"\\u0069d": "a", "id": "b"}', "id"),  # the same key, escaped once
        (b'{"a":1,"a":"\\u003a"}', "a"),  # a colon written as an escape
    ],
)
def test_a_repeated_key_is_an_error_not_last_wins(tmp_path: Path, line: bytes, key: str) -> None:
    assert _error(tmp_path / "c.jsonl", b'{"id": "ok"}\n' + line + b"\n") == (
        f"c.jsonl:2: line repeats the key '{key}' within one object\n"
        "  fix: keep each key once; JSON readers differ on which copy they keep"
    )


@pytest.mark.parametrize(
    "line",
    [
        b'{"id": "a", "prompt": "Correct this: I has: \\"x\\": y"}',
        b'{"a": {"b": {"c": 1}}, "d": [{"e": ":"}]}',
        b'{"k\\\\": 1, "k": 2}',  # a key ending in a backslash is another key
        b'"a: b"',
    ],
)
def test_colons_in_text_are_not_mistaken_for_keys(tmp_path: Path, line: bytes) -> None:
    assert len(_read(tmp_path / "c.jsonl", line + b"\n")) == 1


def test_nesting_past_the_parser_depth_is_an_error(tmp_path: Path) -> None:
    message = _error(tmp_path / "c.jsonl", b"[" * 2000 + b"]" * 2000 + b"\n")
    assert message == (
        "c.jsonl:1:1026: line is not valid JSON: depth limit exceeded\n"
        "  fix: write one complete JSON object per line"
    )


@pytest.mark.parametrize(
    ("depth", "message"),
    [
        (300, "line repeats the key 'k' within one object"),  # deeper than orjson writes
        (1010, "line nests objects too deeply to check them for repeated keys"),
    ],
)
def test_a_repeated_key_deep_down_is_still_refused(
    tmp_path: Path, depth: int, message: str
) -> None:
    line = b'{"a": ' * depth + b'{"k": 1, "k": 2}' + b"}" * depth
    with pytest.raises(InputError) as caught:
        _read(tmp_path / "c.jsonl", line + b"\n")
    assert caught.value.message == message


def test_a_directory_is_not_a_corpus(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        list(iter_jsonl(tmp_path, what="corpus"))
    assert caught.value.message == "corpus is a directory, not a file"


def test_a_repeated_key_in_recorded_answers_stops_the_run_without_a_report(
    project: ProjectFactory, chdir: Callable[[Path], None]
) -> None:
    project.gloss_run(total=3, empty=0)
    recorded = project.root / "recorded.jsonl"
    lines = recorded.read_text().splitlines()
    lines[1] = lines[1][:-1] + ', "id": "rg-9999"}'
    recorded.write_text("\n".join(lines) + "\n")
    chdir(project.root)
    result = CliRunner().invoke(cli, ["run", "--report-json", "r.json"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == (
        "gate: recorded.jsonl:2: line repeats the key 'id' within one object\n"
        "  fix: keep each key once; JSON readers differ on which copy they keep\n"
    )
    assert not (project.root / "r.json").exists()
