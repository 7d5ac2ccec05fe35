"""Targets: where answers come from. The built-in types, in one place.

A type is known here by its settings (their schema and checks: all that
validating gate.yaml needs) and by where its class lives. The class is
imported when a run builds the target, not before: the http target brings in
aiohttp and httpx, which `gate validate`, run by a pre-commit hook on every
commit, never needs (benchmarks/startup.py). So are the shapes of answers and
targets (`Answer`, `Target`, `TargetEnv`), on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gate.targets import http_settings, recorded_settings

if TYPE_CHECKING:
    from gate.targets.base import Answer, Target, TargetEnv

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
    "http": TargetType(
        "http",
        http_settings.SCHEMA,
        http_settings.settings_problems,
        "gate.targets.http",
        "HttpTarget",
    ),
    "recorded": TargetType(
        "recorded",
        recorded_settings.SCHEMA,
        recorded_settings.settings_problems,
        "gate.targets.recorded",
        "RecordedTarget",
    ),
}

_SHAPES = frozenset(("Answer", "Target", "TargetEnv"))


def __getattr__(name: str) -> Any:
    if name in _SHAPES:
        return getattr(importlib.import_module("gate.targets.base"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["TARGET_TYPES", "Answer", "Target", "TargetEnv", "TargetType"]
