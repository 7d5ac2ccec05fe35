"""The recorded target: every item gets exactly one answer, or the file is a message."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.corpus import CorpusItem
from gate.targets import Answer, TargetEnv
from gate.targets.recorded import RecordedTarget
from tests.properties.strategies import failed, input_error_or, json_values, write

_ids = st.sampled_from(["rg-1", "rg-2", "rg-3", "rg-4", "lt-1"])
_lines = st.one_of(
    st.fixed_dictionaries(
        {
            "id": _ids,
            "response": st.dictionaries(st.sampled_from(["english", "spanish"]), json_values),
        }
    ),
    st.fixed_dictionaries({"id": _ids, "response": json_values}),
    st.dictionaries(st.sampled_from(["id", "response", "other"]), json_values),
    json_values,
)


def _items(ids: list[str]) -> list[CorpusItem]:
    return [
        CorpusItem(ident, "p", None, (), None, "regression", n) for n, ident in enumerate(ids, 1)
    ]


def _answers(root: Path, items: list[CorpusItem]) -> list[tuple[CorpusItem, Answer]]:
    env = TargetEnv(root=root, config_path=root / "gate.yaml", manifest=None)
    target = RecordedTarget({"type": "recorded", "path": "recorded.jsonl"}, env)

    async def collect() -> list[tuple[CorpusItem, Answer]]:
        async with target:
            return [pair async for pair in target.answers(items)]

    return asyncio.run(collect())


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("recorded")


def _exactly_once(items: list[CorpusItem], outcome: object) -> list[tuple[CorpusItem, Answer]]:
    assert isinstance(outcome, list)
    assert sorted(item.line for item, _ in outcome) == [item.line for item in items]
    for _, answer in outcome:
        assert (answer.body is None) == bool(answer.error) == bool(answer.cause)
    return outcome


@given(st.lists(_lines, max_size=8), st.lists(_ids, unique=True, max_size=5))
def test_any_recorded_lines_answer_each_item_once_or_are_a_message(
    root: Path, lines: list[Any], ids: list[str]
) -> None:
    write(root / "recorded.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    items = _items(ids)
    outcome = input_error_or(lambda: _answers(root, items))
    if failed(outcome):
        return
    answers = dict((item.id, answer) for item, answer in _exactly_once(items, outcome))
    for ident in ids:
        recorded = [
            line["response"] for line in lines if isinstance(line, dict) and line.get("id") == ident
        ]
        if answers[ident].body is not None:  # never an answer from nowhere
            assert answers[ident].body in recorded


@given(st.binary(max_size=300), st.lists(_ids, unique=True, max_size=5))
def test_arbitrary_bytes(root: Path, data: bytes, ids: list[str]) -> None:
    write(root / "recorded.jsonl", data)
    items = _items(ids)
    outcome = input_error_or(lambda: _answers(root, items))
    if not failed(outcome):
        _exactly_once(items, outcome)


def _answered_in_blocks(
    root: Path, items: list[CorpusItem], sizes: list[int]
) -> list[tuple[CorpusItem, Answer]]:
    env = TargetEnv(root=root, config_path=root / "gate.yaml", manifest=None)
    target = RecordedTarget({"type": "recorded", "path": "recorded.jsonl"}, env)
    blocks, start = [], 0
    for size in sizes:
        blocks.append(items[start : start + size])
        start += size
    blocks.append(items[start:])

    async def collect() -> list[tuple[CorpusItem, Answer]]:
        pairs: list[tuple[CorpusItem, Answer]] = []
        async with target:
            async for block in target.answer_blocks(block for block in blocks if block):
                for at, item in enumerate(block.items):
                    body = block.bodies[at]
                    pairs.append((item, block.missed[at] if body is None else Answer(body)))
        return pairs

    return asyncio.run(collect())


@given(
    st.lists(_lines, max_size=12),
    st.lists(_ids, unique=True, max_size=5),
    st.lists(st.integers(min_value=1, max_value=4), max_size=4),
    st.sampled_from([1, 16, 64, 1 << 15]),
)
def test_blocks_of_items_and_of_lines_of_any_size_answer_alike(
    root: Path, lines: list[Any], ids: list[str], sizes: list[int], block_bytes: int
) -> None:
    # The whole-block match and the line-by-line join must never disagree.
    write(root / "recorded.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    items = _items(ids)
    expected = input_error_or(lambda: _answers(root, items))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("gate.jsonl.BLOCK_BYTES", block_bytes)
        outcome = input_error_or(lambda: _answered_in_blocks(root, items, sizes))
    if failed(expected):
        assert failed(outcome)
        return
    assert outcome == expected


def test_a_file_in_corpus_order_is_matched_a_block_at_a_time(root: Path) -> None:
    ids = [f"rg-{n}" for n in range(300)]
    lines = [{"id": ident, "response": {"spanish": ident}} for ident in ids]
    lines.insert(150, {"id": "rg-299", "response": {"spanish": "early"}})  # out of order once
    write(root / "recorded.jsonl", "".join(json.dumps(line) + "\n" for line in lines))
    items = _items(ids)
    answered = _answered_in_blocks(root, items, [100, 100])
    assert [item.id for item, _ in answered] == ids
    bodies = [answer.body for _, answer in answered]
    assert bodies[:299] == [{"spanish": ident} for ident in ids[:299]]
    assert bodies[299] == {"spanish": "early"}  # the first line for an id wins
