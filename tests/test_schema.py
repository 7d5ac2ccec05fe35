"""Schema validation follows JSON Schema's own rules where Python's differ."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.errors import InputErrors
from gate.manifest import load_manifest


def test_a_final_dollar_does_not_let_a_trailing_newline_through(tmp_path: Path) -> None:
    path = tmp_path / "v2.4.0.yaml"
    path.write_text('version: "2.4.0\\n"\n')
    with pytest.raises(InputErrors) as caught:
        load_manifest(path)
    assert str(caught.value).replace(str(path), "v2.4.0.yaml") == (
        "v2.4.0.yaml:1:1: 'version': '2.4.0\\n' does not match "
        "'^[0-9]+\\\\.[0-9]+\\\\.[0-9]+(-[0-9A-Za-z.-]+)?(\\\\+[0-9A-Za-z.-]+)?$'\n"
        "  fix: 'version' is the release's semantic version, such as \"2.4.0\" (quoted)\n"
        "1 problem in the gate's input; nothing was run."
    )


# jsonschema-rs answers "valid?" first; jsonschema words every "no" and decides
# every schema the two may read differently.
@pytest.mark.parametrize(
    ("schema", "alike"),
    [
        ({"type": "string", "pattern": "^[a-z0-9][a-z0-9._-]*$"}, True),
        ({"type": "string", "pattern": "^[0-9]+\\.[0-9]+$"}, True),
        ({"type": "string", "pattern": "^\\d+$"}, False),  # Unicode digits in Python only
        ({"type": "string", "pattern": "^(?!x)"}, False),
        ({"patternProperties": {"^a": {}}}, False),
        ({"$id": "https://gate.invalid/s.json", "type": "object"}, True),
        ({"properties": {"a": {"$id": "https://gate.invalid/a.json"}}}, False),
        ({"properties": {"a": {"$ref": "https://gate.invalid/a.json"}}}, False),
        ({"$defs": {"a": {"type": "string"}}, "properties": {"a": {"$ref": "#/$defs/a"}}}, True),
        ({"type": "string", "format": "repo-path"}, True),
    ],
)
def test_the_quick_check_is_used_only_where_both_validators_agree(
    schema: dict[str, object], alike: bool
) -> None:
    from gate.schema import _quick_check

    assert (_quick_check(schema) is not None) == alike


def test_a_no_from_the_quick_check_is_worded_by_jsonschema(tmp_path: Path) -> None:
    from gate.schema import validate

    schema = {"type": "object", "properties": {"count": {"type": "integer", "minimum": 1}}}
    path = tmp_path / "x.yaml"
    (error,) = validate({"count": 0}, schema, path=path)
    assert error.message == "'count': 0 is less than the minimum of 1"
    assert validate({"count": 2}, schema, path=path) == []


def test_a_value_the_quick_check_cannot_take_is_left_to_jsonschema(tmp_path: Path) -> None:
    import datetime

    from gate.schema import validate

    schema = {"type": "object", "properties": {"due": {"type": "string"}}}
    (error,) = validate({"due": datetime.date(2026, 2, 3)}, schema, path=tmp_path / "x.yaml")
    assert error.message.startswith("'due' should be a string, found ")
