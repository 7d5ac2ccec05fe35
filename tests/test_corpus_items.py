"""Corpus items: the quick path accepts exactly what the schema accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.corpus import CorpusBlock, CorpusItem, iter_corpus, iter_corpus_blocks
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


def _plain_corpus(path: Path, count: int) -> Path:
    path.write_text("".join(f'{{"id": "rg-{n}", "prompt": "p{n}"}}\n' for n in range(count)))
    return path


def test_a_block_makes_an_item_when_it_is_indexed(tmp_path: Path) -> None:
    path = _plain_corpus(tmp_path / "regression.jsonl", 3)
    (block,) = iter_corpus_blocks(path)
    assert isinstance(block, CorpusBlock)
    assert block.ids == ["rg-0", "rg-1", "rg-2"] and len(block) == 3
    assert block[-1] == CorpusItem("rg-2", "p2", None, (), None, "regression", 3)
    assert block[1:] == list(iter_corpus(path))[1:]
    with pytest.raises(IndexError):
        block[3]
    assert list(block) == list(iter_corpus(path))


def test_blocks_of_any_size_hold_the_same_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _plain_corpus(tmp_path / "regression.jsonl", 50)
    with path.open("a") as corpus:
        corpus.write('\n{"id": "t", "prompt": "q", "tags": ["x"]}\n{"id": "u", "prompt": "r"}\n')
    whole = list(iter_corpus(path))
    monkeypatch.setattr("gate.jsonl.BLOCK_BYTES", 64)
    blocks = list(iter_corpus_blocks(path))
    assert len(blocks) > 10
    assert [item for block in blocks for item in block] == whole
    assert [ident for block in blocks for ident in block.ids] == [item.id for item in whole]


def test_the_items_before_a_bad_line_come_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _plain_corpus(tmp_path / "regression.jsonl", 3)
    with path.open("a") as corpus:
        corpus.write('{"id": "", "prompt": "p"}\n')
    blocks = iter_corpus_blocks(path)
    assert next(blocks).ids == ["rg-0", "rg-1", "rg-2"]
    with pytest.raises(InputErrors):
        next(blocks)


def test_a_block_of_blank_lines_is_no_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "regression.jsonl"
    path.write_text('{"id": "a", "prompt": "p"}\n' + "\n" * 40 + '{"id": "b", "prompt": "q"}\n')
    monkeypatch.setattr("gate.jsonl.BLOCK_BYTES", 8)
    blocks = list(iter_corpus_blocks(path))
    assert all(blocks) and [block.ids for block in blocks] == [["a"], ["b"]]
