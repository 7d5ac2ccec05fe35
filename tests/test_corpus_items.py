"""Corpus items: the quick path accepts exactly what the schema accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.corpus import CorpusItem, iter_corpus
from gate.errors import InputErrors


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
        ('{"id": "a", "prompt": "p", "tags": null}', "'tags' should be a list, found nothing"),
        (
            '{"id": "a", "prompt": "p", "expected": null}',
            "'expected' should be a mapping, found nothing",
        ),
        (
            '{"id": "a", "prompt": "p", "source": null}',
            "'source' should be a string, found nothing",
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
    with pytest.raises(InputErrors) as caught:
        list(iter_corpus(path))
    (error,) = caught.value.errors
    assert (error.message, error.line) == (message, 1)


def test_ids_used_twice_are_named_in_reading_order(tmp_path: Path) -> None:
    from gate.corpus import check_corpora

    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    first.write_text('{"id": "x", "prompt": "p"}\n{"id": "y", "prompt": "p"}\n')
    second.write_text(
        '{"id": "y", "prompt": "p"}\n{"id": "z", "prompt": "p"}\n{"id": "x", "prompt": "p"}\n'
        '{"id": "z", "prompt": "p"}\nnot json\n'
    )
    assert [
        (error.path, error.line, error.message) for error in check_corpora([first, second])
    ] == [
        (second, 1, "item id 'y' is already used at a.jsonl:2"),
        (second, 3, "item id 'x' is already used at a.jsonl:1"),
        (second, 4, "item id 'z' is already used at b.jsonl:2"),
        (second, 5, "line is not valid JSON: invalid literal, expected 'null'"),
    ]
