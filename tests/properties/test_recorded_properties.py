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
