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
