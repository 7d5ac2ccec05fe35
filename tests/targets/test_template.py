"""Request body templates: what they render and what they refuse."""

from __future__ import annotations

from typing import Any

import pytest

from gate.corpus import CorpusItem
from gate.targets.template import compile_template, template_problems

ITEM = CorpusItem("rg-7", 'She "go" home', {"spanish": "va"}, ("tense",), "portal", "regression", 7)


def test_the_default_shape_and_embedded_fields_render() -> None:
    template = {
        "id": "{id}",
        "input": {"text": "Correct: {prompt}", "meta": ["{source}", "{tags}", 3, None, True]},
        "expected": "{expected}",
        "literal": "{{not a field}}",
    }
    assert template_problems(template) == []
    assert compile_template(template)(ITEM) == {
        "id": "rg-7",
        "input": {"text": 'Correct: She "go" home', "meta": ["portal", ["tense"], 3, None, True]},
        "expected": {"spanish": "va"},
        "literal": "{not a field}",
    }


@pytest.mark.parametrize(
    ("template", "problems"),
    [
        (
            {"q": "{question}"},
            [
                (
                    ("q",),
                    "uses {question}, which is not an item field "
                    "({id}, {prompt}, {source}, {repeat}, {tags}, {expected})",
                )
            ],
        ),
        (
            {"q": ["x {tags}"]},
            [(("q", 0), "uses {tags} inside a longer string; it must be the whole value")],
        ),
        (
            {"q": "{prompt!r}"},
            [
                (
                    ("q",),
                    "uses {prompt!r}, which is not an item field "
                    "({id}, {prompt}, {source}, {repeat}, {tags}, {expected})",
                )
            ],
        ),
        (
            {"q": "a } b"},
            [
                (
                    ("q",),
                    "is not a valid template: Single '}' encountered in format "
                    "string; write {{ and }} for braces",
                )
            ],
        ),
    ],
)
def test_bad_placeholders_are_named_with_their_place(
    template: Any, problems: list[tuple[tuple[str | int, ...], str]]
) -> None:
    assert template_problems(template) == problems


def test_the_repeat_index_is_a_number_alone_and_digits_inside_a_string() -> None:
    template = {"repeat": "{repeat}", "user": "gate-{id}-{repeat}"}
    assert template_problems(template) == []
    render = compile_template(template)
    assert render(ITEM) == {"repeat": 0, "user": "gate-rg-7-0"}
    assert render(ITEM._replace(repeat=2)) == {"repeat": 2, "user": "gate-rg-7-2"}
