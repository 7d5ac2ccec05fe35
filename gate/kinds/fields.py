"""Reading a field out of a response by a dotted path, shared by the response kinds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MISSING = object()


def get_field(response: Mapping[str, Any], dotted: str) -> Any:
    """The value at `a.b.c`, or MISSING when any step is absent or not a mapping."""
    value: Any = response
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return MISSING
        value = value[part]
    return value
