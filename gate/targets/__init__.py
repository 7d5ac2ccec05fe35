"""Targets: where answers come from. The built-in types, in one place.

A type is known here by its settings (their schema and checks: all that
validating gate.yaml needs) and by where its class lives. The class is
imported when a run builds the target, not before: the http target brings in
aiohttp and httpx, which `gate validate`, run by a pre-commit hook on every
commit, never needs (benchmarks/startup.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from gate.targets.base import Answer, Target, TargetEnv
from gate.targets.http_settings import SCHEMA, settings_problems
from gate.targets.recorded import RecordedTarget

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True)
class TargetType:
    """A target type: its settings, and its class, imported on first use."""

    name: str  # the `target.type` value in gate.yaml
    settings_schema: Mapping[str, Any]  # the JSON Schema of the target mapping
    check_settings: Callable[[Mapping[str, Any]], list[tuple[KeyPath, str]]]
    module: str  # where the class lives
    class_name: str

    def load(self) -> type[Target]:
        """The Target class."""
        loaded: type[Target] = getattr(importlib.import_module(self.module), self.class_name)
        return loaded


TARGET_TYPES: dict[str, TargetType] = {
    "http": TargetType("http", SCHEMA, settings_problems, "gate.targets.http", "HttpTarget"),
    "recorded": TargetType(
        "recorded",
        RecordedTarget.settings_schema,
        RecordedTarget.check_settings,
        "gate.targets.recorded",
        "RecordedTarget",
    ),
}

__all__ = ["TARGET_TYPES", "Answer", "Target", "TargetEnv", "TargetType"]
