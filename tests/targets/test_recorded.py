"""The recorded target: answers joined to corpus items by id, in any order, none lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gate.corpus import CorpusItem
from gate.errors import InputError
from gate.targets.base import Answer, TargetEnv
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


@pytest.mark.parametrize("line", ['{"response": {}}', '["a"]', '{"id": 3, "response": {}}'])
def test_a_line_without_a_string_id_is_an_input_error(tmp_path: Path, line: str) -> None:
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
