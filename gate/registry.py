"""The check-kind registry: every kind, built-in or not, comes from `gate.kinds` entry points."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import TypeVar

from gate.kinds.base import ResponseKind, StaticKind
from gate.schema import check_schema

ENTRY_POINT_GROUP = "gate.kinds"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

KindClass = type[ResponseKind] | type[StaticKind]
K = TypeVar("K", bound=type[ResponseKind] | type[StaticKind])


class KindDefinitionError(TypeError):
    """A kind is not shaped as the gate needs it; raised at import, naming the kind."""


def kind(cls: K) -> K:
    """Mark a class as a check kind, checking its shape at import time.

    A kind must subclass ResponseKind or StaticKind, have a lower-case `name`,
    a valid JSON Schema in `params_schema`, and a docstring documenting its
    params, because `gate list` and `gate explain` show it to users.
    """
    label = getattr(cls, "name", cls.__name__)
    if not issubclass(cls, ResponseKind | StaticKind):
        raise KindDefinitionError(f"kind {label!r} must subclass ResponseKind or StaticKind")
    if not isinstance(getattr(cls, "name", None), str) or not _NAME.match(cls.name):
        raise KindDefinitionError(
            f"kind {label!r} needs a lower-case `name` with underscores, such as 'field_nonempty'"
        )
    schema = getattr(cls, "params_schema", None)
    if not isinstance(schema, Mapping):
        raise KindDefinitionError(f"kind {label!r} needs a `params_schema` mapping")
    problem = check_schema(schema)
    if problem:
        raise KindDefinitionError(f"kind {label!r} has an invalid params_schema: {problem}")
    if schema.get("type") != "object" or schema.get("additionalProperties") is not False:
        raise KindDefinitionError(
            f"kind {label!r}: params_schema must be an object with additionalProperties: false, "
            "so that a mistyped param is an error rather than a silently weaker check"
        )
    if not (cls.__doc__ or "").strip():
        raise KindDefinitionError(f"kind {label!r} needs a docstring documenting its params")
    if getattr(cls, "__abstractmethods__", None):
        missing = ", ".join(sorted(cls.__abstractmethods__))
        raise KindDefinitionError(f"kind {label!r} does not implement: {missing}")
    cls.__gate_kind__ = True  # type: ignore[union-attr]
    return cls


@dataclass(frozen=True)
class Registry:
    """The kinds that loaded, and the plugins that did not, each with the reason."""

    kinds: Mapping[str, KindClass]
    broken: Mapping[str, str] = field(default_factory=dict)

    def names(self) -> list[str]:
        return sorted(self.kinds)

    def find(self, name: str) -> KindClass:
        """The kind called `name`; an InputError naming the nearest kind when there is none."""
        from gate.errors import InputError
        from gate.schema import nearest

        if name in self.broken:
            raise InputError(None, self.broken[name])
        found = self.kinds.get(name)
        if found is None:
            guess = nearest(name, self.names())
            raise InputError(
                None,
                f"kind '{name}' is not known; known kinds: {', '.join(self.names())}",
                fix=f"did you mean '{guess}'?" if guess else "run `gate kinds` to see them",
            )
        return found


def _origin(entry: EntryPoint) -> str:
    dist = entry.dist
    return f"{dist.name} {dist.version}" if dist is not None else entry.value


def build_registry(entries: list[EntryPoint]) -> Registry:
    """Load kinds from entry points; a plugin that fails is recorded by name, not ignored."""
    kinds: dict[str, KindClass] = {}
    # Which distribution declared a kind is read (from its metadata, slow to parse)
    # only when a message needs it.
    first: dict[str, EntryPoint] = {}
    broken: dict[str, str] = {}
    for entry in sorted(entries, key=lambda e: (e.name, e.value)):
        if entry.name in first:
            broken[entry.name] = (
                f"kind '{entry.name}' is declared twice: by {_origin(first[entry.name])} "
                f"and by {_origin(entry)}"
            )
            kinds.pop(entry.name, None)
            continue
        first[entry.name] = entry
        try:
            loaded = entry.load()
        except Exception as exc:  # a plugin may fail in any way; it must not hide
            broken[entry.name] = (
                f"plugin kind '{entry.name}' from {_origin(entry)} failed to load: "
                f"{exc.__class__.__name__}: {exc}"
            )
            continue
        if not getattr(loaded, "__gate_kind__", False):
            broken[entry.name] = (
                f"entry point '{entry.name}' ({entry.value}) is not a class marked @gate.kind"
            )
            continue
        if loaded.name != entry.name:
            broken[entry.name] = (
                f"entry point '{entry.name}' ({entry.value}) names a kind called '{loaded.name}'; "
                "the two must match"
            )
            continue
        kinds[entry.name] = loaded
    return Registry(kinds=kinds, broken=broken)


@cache
def load_registry() -> Registry:
    """The registry of this interpreter's installed kinds, loaded once."""
    return build_registry(list(entry_points(group=ENTRY_POINT_GROUP)))
