"""Scaffolding a check file from an action item and a kind's params schema."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from gate.links import LinkedItem
from gate.registry import KindClass


def _placeholder(schema: Mapping[str, Any]) -> str:
    # Required params get an empty value, so `gate validate` refuses the file until filled.
    if "default" in schema:
        return json.dumps(schema["default"])
    return "null"


def scaffold_check(
    check_id: str, linked: LinkedItem, kind_class: KindClass, corpora: list[str]
) -> str:
    """The YAML text of a new check file, commented from the action item and the kind."""
    item = linked.item
    schema = kind_class.params_schema
    required = set(schema.get("required", ()))
    lines = [
        f"# {linked.postmortem.title}",
        f"# {item.id}: {item.action}",
        f"# owner {item.owner}, due {item.due}; done when: {item.done_when_text}",
        f"id: {check_id}",
        f"kind: {kind_class.name}",
        f"action_item: {item.ref}",
        "description: TODO say in a sentence what this check measures",
        "suites: [release]",
        "blocking: true",
    ]
    if kind_class.scope == "response":
        lines.append(f"corpora: [{corpora[0] if corpora else 'TODO'}]")
    lines.append("params:")
    properties: Mapping[str, Any] = schema.get("properties", {})
    for name, spec in properties.items():
        description = spec.get("description", "")
        marker = "TODO required" if name in required else "optional"
        if name in required:
            lines.append(f"  {name}: {_placeholder(spec)}  # {marker}: {description}")
        else:
            lines.append(f"  # {name}: ...  # {marker}: {description}")
    if not properties:
        lines[-1] = "params: {}"
    return "\n".join(lines) + "\n"
