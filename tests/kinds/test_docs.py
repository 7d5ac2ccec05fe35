"""Kinds that document themselves: params, defaults and examples read from the params schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.checks import load_check
from gate.kinds.docs import (
    BEGIN,
    END,
    Param,
    check_yaml,
    example_check,
    params,
    render_markdown,
    splice,
)
from gate.registry import load_registry

REPO = Path(__file__).resolve().parents[2]
KINDS = load_registry().kinds


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_built_in_kind_has_an_example_check_that_loads(name: str, tmp_path: Path) -> None:
    kind_class = KINDS[name]
    assert kind_class.params_schema.get("examples"), f"{name} has no example params"
    path = tmp_path / "example.yaml"
    path.write_text(check_yaml(example_check(kind_class)), encoding="utf-8")
    check = load_check(
        path,
        load_registry(),
        suites={"release": ""},
        corpora={"regression": tmp_path / "regression.jsonl"},
        corpora_dir=tmp_path,
    )
    assert (check.kind, dict(check.params)) == (name, kind_class.params_schema["examples"][0])


@pytest.mark.parametrize("name", sorted(KINDS))
def test_every_param_of_a_built_in_kind_is_described(name: str) -> None:
    undescribed = [p.name for p in params(KINDS[name].params_schema) if not p.description]
    assert undescribed == []


def test_nested_settings_are_listed_with_dotted_names() -> None:
    listed = {param.name: param for param in params(KINDS["eval_score"].params_schema)}
    assert list(listed) == [
        "min_score",
        "axes",
        "axes.<name>.scorer",
        "axes.<name>.field",
        "axes.<name>.expected",
        "axes.<name>.weight",
        "axes.<name>.min_score",
        "axes.<name>.normalize",
        "axes.<name>.pattern",
    ]
    assert listed["axes"].type == "mapping by name"
    assert listed["axes.<name>.weight"] == Param(
        name="axes.<name>.weight",
        type="number",
        required=False,
        default="1",
        allowed="above 0",
        description="the axis's weight in an item's score",
    )
    assert listed["axes.<name>.scorer"].allowed == "one of: exact, contains, regex, chrf, json_keys"


def test_types_say_what_a_list_or_mapping_holds() -> None:
    schema = {
        "type": "object",
        "properties": {
            "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "rate": {"type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 1},
            "file": {"type": "string", "format": "repo-path", "pattern": "^x"},
        },
    }
    assert [(p.name, p.type, p.allowed) for p in params(schema)] == [
        ("tags", "list of strings", "not empty"),
        ("labels", "mapping of strings", None),
        ("rate", "number or null", "above 0, at most 1"),
        ("file", "string", "matching ^x, a file inside the repository"),
    ]


def test_the_readme_reference_is_written_from_the_schemas() -> None:
    # When this fails, run `make readme` and commit the README.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert splice(readme, render_markdown(KINDS)) == readme


def test_splice_replaces_only_the_marked_section() -> None:
    text = f"# top\n{BEGIN}\nold\n{END}\n## after\n"
    assert splice(text, "new\n") == f"# top\n{BEGIN}\nnew\n{END}\n## after\n"


def test_splice_refuses_a_text_without_the_markers() -> None:
    with pytest.raises(ValueError, match="are not both there"):
        splice(f"# top\n{BEGIN}\nold\n", "new\n")


def test_the_description_stops_where_the_params_start() -> None:
    from gate.kinds.docs import summary

    assert summary(KINDS["prometheus_query"]).splitlines()[0] == (
        "A PromQL instant query against the run's Prometheus, every series held to a limit."
    )
    assert "Params" not in summary(KINDS["prometheus_query"])
    assert summary(KINDS["field_nonempty"]) == (
        "A response field is present, is a string, and is not blank after trimming."
    )
