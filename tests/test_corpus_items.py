"""Corpus items: the quick path accepts exactly what the schema accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.corpus import CorpusItem, iter_corpus
from gate.errors import InputError


def test_items_with_and_without_optional_keys(tmp_path: Path) -> None:
    path = tmp_path / "regression.jsonl"
    path.write_text(
        '{"id": "a", "prompt": "p"}\n'
        "\n"
        '{"id": "b", "prompt": "q", "tags": ["x"], "source": "portal", "expected": {"k": 1}}\n'
    )
    assert list(iter_corpus(path)) == [
        CorpusItem("a", "p", None, (), None, "regression", 1),
        CorpusItem("b", "q", {"k": 1}, ("x",), "portal", "regression", 3),
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": "a", "prompt": "p", "tags": null}', "'tags' should be a list, found nothing null"),
        (
            '{"id": "a", "prompt": "p", "expected": null}',
            "'expected' should be a mapping, found nothing null",
        ),
        (
            '{"id": "a", "prompt": "p", "source": null}',
            "'source' should be a string, found nothing null",
        ),
        (
            '{"id": "a", "prompt": "p", "tags": [1]}',
            "'tags[0]' should be a string, found a number 1",
        ),
        ('{"id": "", "prompt": "p"}', "'id': '' should be non-empty"),
    ],
)
def test_what_the_schema_refuses_is_refused_with_its_message(
    tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "regression.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(InputError) as caught:
        list(iter_corpus(path))
    assert caught.value.message == message
    assert caught.value.line == 1
