"""json_schema's quick check: the same verdicts as jsonschema alone, and its messages."""

from __future__ import annotations

from typing import Any

import pytest

from gate.corpus import CorpusItem
from gate.kinds.base import PASSED, Judgement
from gate.kinds.json_schema import JsonSchema

ITEM = CorpusItem("rg-1", "p", None, (), None, "regression", 1)
SHAPE = {
    "type": "object",
    "required": ["english", "spanish"],
    "properties": {"english": {"type": "string", "minLength": 1}, "spanish": {"type": "string"}},
}


@pytest.mark.parametrize(
    ("schema", "quick"),
    [
        (SHAPE, True),
        ({"$ref": "#/$defs/a", "$defs": {"a": {"type": "object"}}}, True),
        ({"properties": {"code": {"type": "string", "pattern": "^\\d+$"}}}, False),
        ({"properties": {"mail": {"format": "email"}}}, False),
        ({"$ref": "https://example.invalid/schema.json"}, False),
        ({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}, False),
    ],
)
def test_the_quick_check_is_used_only_where_both_validators_agree(
    schema: dict[str, Any], quick: bool
) -> None:
    assert (JsonSchema({"schema": schema}).quick is not None) is quick


@pytest.mark.parametrize(
    ("response", "judgement"),
    [
        ({"english": "I go.", "spanish": "Voy."}, PASSED),
        ({"english": "I go."}, Judgement(False, "the response: 'spanish' is a required property")),
        ({"english": "", "spanish": "x"}, Judgement(False, "english: '' should be non-empty")),
        (
            {"english": "x", "spanish": 2**70},
            Judgement(False, "spanish: 1180591620717411303424 is not of type 'string'"),
        ),
    ],
)
def test_verdicts_and_messages_are_jsonschemas(
    response: dict[str, Any], judgement: Judgement
) -> None:
    kind = JsonSchema({"schema": SHAPE})
    assert kind.quick is not None
    assert kind.judge(ITEM, response) == judgement


def test_a_pattern_is_read_as_python_reads_it() -> None:
    kind = JsonSchema({"schema": {"properties": {"n": {"type": "string", "pattern": "^\\d+$"}}}})
    assert kind.judge(ITEM, {"n": "\u0663"}) == PASSED  # ARABIC-INDIC DIGIT THREE is a digit here
