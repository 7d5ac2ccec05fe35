"""Scaffolding a check file from an action item and a kind's params schema.

The scaffold has the structure of the kind's example (eval_score gets an `axes:`
mapping with one axis and its scorer), with every required value left empty,
so `gate validate` refuses the file until a person has filled it in, and names
what each empty value should be. Params given on the command line are written
as given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gate.kinds.docs import check_yaml, example_params
from gate.links import LinkedItem
from gate.registry import KindClass

# The date-stamped prefix of a postmortem id (INC-2026-08-14-), left out of check ids.
_ID_PREFIX = re.compile(r"^[A-Za-z]+-\d{4}-\d{2}-\d{2}-")


def default_id(linked: LinkedItem, kind_name: str) -> str:
    """`tutor-spanish-gloss-missing-ai-1-field-nonempty`: unique across postmortems and kinds."""
    return check_id_for(linked.postmortem.id, linked.item.id, kind_name)


def check_id_for(postmortem_id: str, item_id: str, kind_name: str) -> str:
    """The id of a check of `kind_name` for one action item: the postmortem's slug (its id
    without prefix and date), the item and the kind."""
    slug = _ID_PREFIX.sub("", postmortem_id).lower()
    return f"{slug}-{item_id.lower()}-{kind_name.replace('_', '-')}"


def placeholder(spec: Mapping[str, Any], example: Any) -> Any:
    """The example's structure with its values left empty (null) for a person to fill in."""
    if not isinstance(example, Mapping):
        return None
    if "properties" in spec:
        required = spec.get("required", ())
        return {
            key: placeholder(spec["properties"][key], example.get(key))
            for key in required
            if key in spec["properties"]
        }
    extra = spec.get("additionalProperties")
    if isinstance(extra, Mapping) and "properties" in extra and example:
        # A mapping by name, such as eval_score's axes: one entry shows its shape.
        name, value = next(iter(example.items()))
        return {name: placeholder(extra, value)}
    return None


def scaffold_check(
    check_id: str,
    linked: LinkedItem,
    kind_class: KindClass,
    corpora: list[str],
    given: Mapping[str, Any] | None = None,
) -> str:
    """The YAML text of a new check file, commented from the action item and the kind.

    Params:
      check_id: the new check's id.
      linked: the action item it enforces, with its postmortem.
      kind_class: the kind it uses.
      corpora: the corpus names there are; a response check reads the first.
      given: params to write as they are, by name (from `--param`).
    """
    given = given or {}
    item = linked.item
    schema = kind_class.params_schema
    properties: Mapping[str, Any] = schema.get("properties", {})
    example = example_params(kind_class)
    check: dict[str, Any] = {
        "id": check_id,
        "kind": kind_class.name,
        "action_item": item.ref,
        "description": "TODO say in a sentence what this check measures",
        "suites": ["release"],
        "blocking": True,
    }
    if kind_class.scope == "response":
        check["corpora"] = [corpora[0] if corpora else "TODO"]
    params = {
        name: given[name] if name in given else placeholder(spec, example.get(name))
        for name, spec in properties.items()
        if name in given or name in schema.get("required", ())
    }
    lines = [
        f"# {linked.postmortem.title}",
        f"# {item.id}: {item.action}",
        f"# owner {item.owner}, due {item.due}; done when: {item.done_when_text}",
        *check_yaml({**check, "params": params}).splitlines(),
    ]
    notes = [
        f"#   {name}: {'required' if name in schema.get('required', ()) else 'optional'}; "
        f"{spec.get('description', '')}".rstrip("; ")
        for name, spec in properties.items()
    ]
    if notes:
        lines += ["", "# The params (`gate kinds show " + kind_class.name + "`):", *notes]
    if example:
        lines += ["# For example:"]
        lines += [f"#   {line[2:]}" for line in check_yaml({"params": example}).splitlines()[1:]]
    return "\n".join(lines) + "\n"


def check_ids(folder: Path) -> dict[str, Path]:
    """The id of every check file in `folder` that has one, read leniently.

    A scaffold that does not validate yet still holds its id, so a new check
    cannot take it.
    """
    from gate.errors import InputError
    from gate.yamlfile import load_yaml

    ids: dict[str, Path] = {}
    for path in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")]):
        try:
            data = load_yaml(path, what="check file").data
        except InputError:
            continue
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            ids.setdefault(data["id"], path)
    return ids
