"""judge_many: a block of answers gets the verdicts that judge gives them one by one."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.corpus import CorpusItem
from gate.kinds.base import PASSED, Judgement, ResponseKind
from gate.kinds.field_nonempty import FieldNonempty
from gate.kinds.json_schema import JsonSchema
from tests.properties.strategies import json_values

_glosses = st.one_of(
    st.sampled_from(["", " ", "\t\n", "Voy.", " Voy. ", "\u3000"]),
    json_values,
)
_answers = st.lists(
    st.one_of(
        st.fixed_dictionaries({"english": st.just("I go."), "spanish": _glosses}),
        st.dictionaries(st.sampled_from(["english", "spanish", "answer"]), json_values),
        st.fixed_dictionaries({"answer": st.fixed_dictionaries({"text": _glosses})}),
    ),
    max_size=12,
)
SHAPE = {
    "type": "object",
    "required": ["english", "spanish"],
    "properties": {"english": {"type": "string", "minLength": 1}, "spanish": {"type": "string"}},
}
KINDS = {
    "field_nonempty": FieldNonempty({"field": "spanish"}),
    "field_nonempty, dotted": FieldNonempty({"field": "answer.text"}),
    "json_schema, a block in one call": JsonSchema({"schema": SHAPE}),
    "json_schema, with a $ref": JsonSchema(
        {"schema": {"$ref": "#/$defs/shape", "$defs": {"shape": SHAPE}}}
    ),
    "json_schema, jsonschema alone": JsonSchema(
        {"schema": {**SHAPE, "properties": {"spanish": {"pattern": "^\\w"}}}}
    ),
}


def _items(count: int) -> list[CorpusItem]:
    return [CorpusItem(f"rg-{n}", "p", None, (), None, "regression", n) for n in range(count)]


@pytest.mark.parametrize("name", KINDS)
@given(answers=_answers)
def test_a_block_is_judged_as_its_answers_are_one_by_one(
    name: str, answers: list[dict[str, Any]]
) -> None:
    kind = KINDS[name]
    items = _items(len(answers))
    assert kind.judge_many(items, answers) == list(map(kind.judge, items, answers))


def test_a_value_the_quick_check_cannot_take_is_judged_by_jsonschema() -> None:
    kind = KINDS["json_schema, a block in one call"]
    answers = [{"english": "I go.", "spanish": "Voy."}, {"english": "x", "spanish": 2**70}]
    assert kind.judge_many(_items(2), answers) == [
        PASSED,
        Judgement(False, "spanish: 1180591620717411303424 is not of type 'string'"),
    ]


def test_only_the_json_schema_without_placed_keywords_checks_a_block_in_one_call() -> None:
    blocks = {name: getattr(kind, "quick_block", None) is not None for name, kind in KINDS.items()}
    assert blocks == {
        "field_nonempty": False,
        "field_nonempty, dotted": False,
        "json_schema, a block in one call": True,
        "json_schema, with a $ref": False,
        "json_schema, jsonschema alone": False,
    }


def test_the_default_judges_item_by_item() -> None:
    class Counts(ResponseKind):
        name = "counts"
        params_schema: ClassVar[dict[str, Any]] = {}

        def judge(self, item: CorpusItem, response: Any) -> Judgement:
            return PASSED if item.line % 2 else Judgement(False, f"odd {item.id}")

        def verdict(self, tally: Any) -> Any:
            raise NotImplementedError

    verdicts = Counts({}).judge_many(_items(3), [{}, {}, {}])
    assert verdicts == [Judgement(False, "odd rg-0"), PASSED, Judgement(False, "odd rg-2")]
