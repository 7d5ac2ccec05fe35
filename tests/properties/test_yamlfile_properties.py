"""gate.yamlfile.load_yaml on arbitrary and near-valid input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.yamlfile import MAX_DEPTH, YamlDocument, load_yaml
from tests.properties.strategies import (
    NASTY,
    dump,
    failed,
    input_error_or,
    json_values,
    line_ends,
    messages,
    mutated,
    write,
)


@pytest.fixture(scope="module")
def path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("yaml") / "file.yaml"


def _valid(outcome: object) -> None:
    if not failed(outcome):
        assert isinstance(outcome, YamlDocument)
        for line, column in outcome.marks.values():
            assert line >= 1 and column >= 1


@given(st.binary(max_size=400))
def test_arbitrary_bytes(path: Path, data: bytes) -> None:
    _valid(input_error_or(lambda: load_yaml(write(path, data))))


@given(st.text(alphabet=NASTY + "abcxyz", max_size=200))
def test_arbitrary_yaml_punctuation(path: Path, text: str) -> None:
    _valid(input_error_or(lambda: load_yaml(write(path, text))))


@given(json_values, line_ends, st.booleans())
def test_what_a_yaml_writer_produces_reads_back_the_same(
    path: Path, data: object, line_end: str, bom: bool
) -> None:
    document = load_yaml(write(path, dump(data), line_end=line_end, bom=bom))
    assert document.data == data


@given(json_values.flatmap(lambda data: mutated(dump({"a": data, "b": [1, 2]}))))
def test_one_change_to_a_valid_file(path: Path, text: str) -> None:
    _valid(input_error_or(lambda: load_yaml(write(path, text))))


@given(
    st.dictionaries(
        st.from_regex(r"[a-z][a-z0-9_]{0,5}", fullmatch=True), json_values, min_size=1, max_size=5
    )
)
def test_a_repeated_key_is_never_a_silent_last_wins(path: Path, data: dict[str, object]) -> None:
    again = f"{json.dumps(next(iter(data)))}: again\n"
    outcome = input_error_or(lambda: load_yaml(write(path, dump(data) + again)))
    assert failed(outcome)
    assert any(message.startswith("repeats the key") for message in messages(outcome))


@given(st.integers(1, 3 * MAX_DEPTH), st.sampled_from(["[", "{a: ", "- "]))
def test_any_depth_is_a_result_or_a_message(path: Path, depth: int, opener: str) -> None:
    closer = {"[": "]", "{a: ": "}", "- ": ""}[opener]
    if opener == "- ":
        text = "".join("  " * level + "-\n" for level in range(depth)) + "  " * depth + "x\n"
    else:
        text = opener * depth + "x" + closer * depth + "\n"
    outcome = input_error_or(lambda: load_yaml(write(path, text)))
    assert failed(outcome) == (depth > MAX_DEPTH)
