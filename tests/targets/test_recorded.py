"""The recorded target: answers joined to corpus items by id, in any order, none lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gate.corpus import CorpusItem
from gate.errors import InputError, TargetError
from gate.targets.base import Answer, AnsweredBlock, TargetEnv, Timing
from gate.targets.recorded import RecordedTarget


def items(*idents: str) -> list[CorpusItem]:
    return [CorpusItem(ident, "p", None, (), None, "c", n) for n, ident in enumerate(idents, 1)]


def answers(tmp_path: Path, lines: str, idents: tuple[str, ...]) -> list[tuple[str, Answer]]:
    (tmp_path / "recorded.jsonl").write_text(lines)
    target = RecordedTarget(
        {"type": "recorded", "path": "recorded.jsonl"},
        TargetEnv(root=tmp_path, config_path=tmp_path / "gate.yaml", manifest=None),
    )

    async def collect() -> list[tuple[str, Answer]]:
        return [(item.id, answer) async for item, answer in target.answers(items(*idents))]

    return asyncio.run(collect())


def test_lines_in_any_order_blank_lines_and_gaps(tmp_path: Path) -> None:
    lines = (
        '\ufeff{"id": "b", "response": {"n": 2}}\n\n'
        '{"id": "a", "response": {"n": 1}}\r\n'
        '{"id": "d", "response": [4]}\n'
    )
    assert answers(tmp_path, lines, ("a", "b", "c", "d")) == [
        ("a", Answer({"n": 1})),
        ("b", Answer({"n": 2})),
        ("c", Answer(None, "no recorded response for this item", "missing")),
        ("d", Answer(None, "the recorded response is not a JSON object", "not_json")),
    ]


@pytest.mark.parametrize(
    "line",
    [
        '{"response": {}}',
        '["a"]',
        '{"id": 3, "response": {}}',
        '{"id": "b", "prompt": "Hola"}',  # a corpus line: not a recording at all
    ],
)
def test_a_line_without_a_string_id_or_a_response_is_an_input_error(
    tmp_path: Path, line: str
) -> None:
    with pytest.raises(InputError) as caught:
        answers(tmp_path, '{"id": "a", "response": {}}\n' + line + "\n", ("a", "b"))
    assert str(caught.value) == (
        f"{tmp_path / 'recorded.jsonl'}:2: each line needs a string 'id' and a 'response' object\n"
        '  fix: write lines such as {"id": "rg-0001", "response": {"spanish": "..."}}'
    )


def _repeated_answers(tmp_path: Path, lines: str) -> list[tuple[str, int, Answer]]:
    (tmp_path / "recorded.jsonl").write_text(lines)
    target = RecordedTarget(
        {"type": "recorded", "path": "recorded.jsonl"},
        TargetEnv(root=tmp_path, config_path=tmp_path / "gate.yaml", manifest=None),
    )
    asked = [item._replace(repeat=ask) for item in items("a", "b") for ask in range(2)]

    async def collect() -> list[tuple[str, int, Answer]]:
        return [(item.id, item.repeat, answer) async for item, answer in target.answers(asked)]

    return asyncio.run(collect())


def test_each_repeat_is_answered_by_its_own_line(tmp_path: Path) -> None:
    lines = (
        '{"id": "a", "response": {"n": 1}}\n'
        '{"id": "b", "repeat": 1, "response": {"n": 4}}\n'
        '{"id": "a", "repeat": 1, "response": {"n": 2}}\n'
    )
    assert _repeated_answers(tmp_path, lines) == [
        ("a", 0, Answer({"n": 1})),
        ("a", 1, Answer({"n": 2})),
        ("b", 0, Answer(None, "no recorded response for this item", "missing")),
        ("b", 1, Answer({"n": 4})),
    ]


@pytest.mark.parametrize("repeat", ['"1"', "-1", "1.5", "null", "true"])
def test_a_repeat_that_is_not_a_whole_number_is_an_input_error(tmp_path: Path, repeat: str) -> None:
    with pytest.raises(InputError) as caught:
        _repeated_answers(tmp_path, '{"id": "a", "repeat": ' + repeat + ', "response": {}}\n')
    shown = {"true": "True", "null": "None"}.get(repeat, repeat.replace('"', "'"))
    assert str(caught.value) == (
        f"{tmp_path / 'recorded.jsonl'}:1: 'repeat' is {shown}; it says which ask of the item "
        "the line answers\n  fix: write a whole number, 0 for the first ask, or leave it out"
    )


def _target(root: Path) -> RecordedTarget:
    return RecordedTarget(
        {"type": "recorded", "path": "recorded.jsonl"},
        TargetEnv(root=root, config_path=root / "gate.yaml", manifest=None),
    )


def test_a_recording_gives_back_timings_and_the_errors_of_unanswered_items(
    tmp_path: Path,
) -> None:
    lines = (
        '{"id": "a", "response": {"n": 1}, "timing": {"first_byte_s": 0.25, "total_s": 0.5}}\n'
        '{"id": "b", "response": null, "error": "POST http://h/v1: HTTP 503", "cause": "http_5xx",'
        ' "timing": {"first_byte_s": 0.1, "total_s": 0.1}}\n'
        '{"id": "c", "response": null, "error": "could not connect", "cause": "refused"}\n'
        '{"id": "d", "response": {"n": 4}}\n'
    )
    assert answers(tmp_path, lines, ("a", "b", "c", "d")) == [
        ("a", Answer({"n": 1}, timing=Timing(0.25, 0.5))),
        ("b", Answer(None, "POST http://h/v1: HTTP 503", "http_5xx", Timing(0.1, 0.1))),
        ("c", Answer(None, "could not connect", "refused")),
        ("d", Answer({"n": 4})),
    ]


def test_a_block_in_order_carries_its_timings_in_the_fast_path(tmp_path: Path) -> None:
    (tmp_path / "recorded.jsonl").write_text(
        '{"id": "a", "response": {}, "timing": {"first_byte_s": 1, "total_s": 2}}\n'
        '{"id": "b", "response": {}}\n'
    )

    async def blocks() -> list[AnsweredBlock]:
        return [block async for block in _target(tmp_path).answer_blocks([items("a", "b")])]

    (block,) = asyncio.run(blocks())
    assert (block.missed, block.timings) == ({}, [Timing(1.0, 2.0), None])


@pytest.mark.parametrize(
    "timing",
    [
        '{"first_byte_s": 0.1}',
        '{"first_byte_s": "0.1", "total_s": 0.2}',
        '{"first_byte_s": -1, "total_s": 0.2}',
        '{"first_byte_s": true, "total_s": 0.2}',
        '{"first_byte_s": 0.1, "total_s": 0.2, "x": 1}',
        "[0.1, 0.2]",
        "0.2",
    ],
)
def test_a_timing_of_any_other_shape_is_an_input_error(tmp_path: Path, timing: str) -> None:
    lines = '{"id": "a", "response": {}}\n{"id": "b", "response": {}, "timing": ' + timing + "}\n"
    with pytest.raises(InputError) as caught:
        answers(tmp_path, lines, ("a", "b"))
    assert str(caught.value) == (
        f"{tmp_path / 'recorded.jsonl'}:2: 'timing' needs first_byte_s and total_s, each a "
        "number of seconds of at least 0\n"
        '  fix: write lines such as {"id": "rg-0001", "response": {"spanish": "..."}}'
    )


def test_a_get_is_answered_from_the_pages_beside_the_recording(tmp_path: Path) -> None:
    (tmp_path / "recorded.jsonl").write_text('{"id": "a", "response": {}}\n')
    (tmp_path / "recorded.gets.jsonl").write_text(
        '{"get": "/metrics", "text": "up 1\\n"}\n{"get": "/down", "error": "GET /down: HTTP 500"}\n'
    )
    target = _target(tmp_path)
    assert asyncio.run(target.get("/metrics")) == "up 1\n"
    with pytest.raises(TargetError) as caught:
        asyncio.run(target.get("/down"))
    assert str(caught.value) == "GET /down: HTTP 500"
    with pytest.raises(TargetError) as missing:
        asyncio.run(target.get("/healthz"))
    assert str(missing.value) == (
        f"{tmp_path / 'recorded.gets.jsonl'} holds no recorded GET /healthz: record the run with "
        "`gate run --record`, which keeps what checks read from the service"
    )


@pytest.mark.parametrize(
    "line", ['{"get": "/m"}', '{"get": "/m", "text": "a", "error": "b"}', '{"text": "a"}', "[1]"]
)
def test_a_page_line_of_another_shape_is_an_input_error(tmp_path: Path, line: str) -> None:
    (tmp_path / "recorded.jsonl").write_text("")
    (tmp_path / "recorded.gets.jsonl").write_text(line + "\n")
    with pytest.raises(InputError) as caught:
        asyncio.run(_target(tmp_path).get("/m"))
    assert str(caught.value) == (
        f"{tmp_path / 'recorded.gets.jsonl'}:1: each line needs a string 'get' and a string "
        "'text' or 'error'\n"
        '  fix: write lines such as {"get": "/metrics", "text": "..."}'
    )
