"""The recorded target's settings in gate.yaml: their schema, known without reading a recording."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type", "path"],
    "properties": {
        "type": {"const": "recorded"},
        "path": {
            "type": "string",
            "format": "repo-path",
            "description": "the JSONL file of recorded responses, relative to gate.yaml",
        },
    },
}


def settings_problems(settings: Mapping[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Problems the schema cannot express: a recorded target has none."""
    return []
