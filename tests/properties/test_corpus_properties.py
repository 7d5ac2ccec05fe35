"""gate.corpus: the fast path agrees with the schema, and reused ids are always found."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.corpus import _item, check_corpora, iter_corpus
from gate.schema import packaged_schema, validate
from tests.properties.strategies import failed, input_error_or, json_values, text, write

_FIELDS = ["id", "prompt", "expected", "tags", "source"]

# Values near a corpus item: the right keys with values of any type, now and then a stray key.
_near_items = st.dictionaries(
    st.sampled_from([*_FIELDS, "promt", "ID"]),
    st.one_of(
        json_values,
        text(max_size=8),
        st.lists(text(max_size=4), max_size=3),
        st.dictionaries(text(max_size=4), json_values, max_size=2),
    ),
    max_size=6,
)
_items = st.fixed_dictionaries(
    {"id": text(min_size=1, max_size=6), "prompt": text(min_size=1, max_size=20)},
    optional={
        "expected": st.dictionaries(text(max_size=5), json_values, max_size=3),
        "tags": st.lists(text(max_size=5), max_size=3),
        "source": text(max_size=8),
    },
)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpora")


@given(st.one_of(_near_items, _items, json_values))
def test_the_fast_check_agrees_with_the_schema(value: Any) -> None:
    schema = packaged_schema("corpus-item.schema.json")
    assert (_item(value, "c", 1) is not None) == (
        not validate(value, schema, path=Path("c.jsonl"), line=1)
    )


@given(st.lists(st.one_of(_items, _near_items), max_size=6))
def test_any_lines_give_items_or_a_message(folder: Path, values: list[Any]) -> None:
    path = write(folder / "c.jsonl", "".join(json.dumps(value) + "\n" for value in values))
    outcome = input_error_or(lambda: list(iter_corpus(path)))
    valid = [value for value in values if (_item(value, "c", 1) is not None)]
    if failed(outcome):
        assert len(valid) < len(values)
    else:
        assert [item.id for item in outcome] == [value["id"] for value in values]  # type: ignore[union-attr]


@given(
    st.lists(
        st.lists(st.sampled_from(["a", "b", "c", "d", "rg-1", "rg-2"]), max_size=5),
        min_size=1,
        max_size=3,
    )
)
def test_every_reused_id_is_found_across_files(folder: Path, files: list[list[str]]) -> None:
    paths = []
    for index, ids in enumerate(files):
        rows = "".join(json.dumps({"id": ident, "prompt": "p"}) + "\n" for ident in ids)
        paths.append(write(folder / f"c{index}.jsonl", rows))
    every = [ident for ids in files for ident in ids]
    errors = check_corpora(paths)
    assert len(errors) == len(every) - len(set(every))
    assert all("is already used at" in error.message for error in errors)
