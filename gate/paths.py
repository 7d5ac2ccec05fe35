"""Keeping the files a gate reads inside its repository.

Paths in gate.yaml and in check params are relative to the repository root (the
folder of gate.yaml). One that climbs out with `../`, is absolute, or leads out
through a symbolic link is refused, so that a change to a check cannot make the
gate read, and show in its report, a file the repository does not hold. A
gate.yaml may opt out with `allow_outside_root: true`.

A schema marks a string as such a path with `"format": "repo-path"`, in gate.yaml's
schema, a target's settings schema, or a kind's params schema.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.errors import InputError
from gate.schema import Locator, dotted

PATH_FORMAT = "repo-path"
ALLOW_KEY = "allow_outside_root"

KeyPath = tuple[str | int, ...]


def _fix(config_name: str) -> str:
    return (
        f"keep the file inside the repository, or set '{ALLOW_KEY}: true' in {config_name} "
        "if the gate must read files outside it"
    )


@dataclass(frozen=True)
class PathPolicy:
    """Where a repository's files may be: below `root`, unless `allow_outside` says otherwise."""

    root: Path  # resolved: the folder of gate.yaml
    allow_outside: bool = False
    config_name: str = "gate.yaml"  # the configuration as the user named it, for messages

    def resolve(self, value: str | Path) -> Path:
        """The file a repository-relative path names (an absolute path stays as it is)."""
        return self.root / value

    def problem(self, value: str | Path) -> str | None:
        """Why `value` may not be read, or None when it stays inside the root (or may leave it)."""
        if self.allow_outside:
            return None
        lexical = Path(os.path.normpath(self.resolve(value)))
        if not lexical.is_relative_to(self.root):
            if Path(value).is_absolute():
                return (
                    f"is an absolute path outside the repository (the folder of {self.config_name})"
                )
            return f"climbs out of the repository (the folder of {self.config_name}) with '..'"
        try:
            real = lexical.resolve()
        except (OSError, RuntimeError):  # a symlink loop, or a path the system refuses
            return "cannot be resolved (is there a loop of symbolic links?)"
        if not real.is_relative_to(self.root):
            return f"leads through a symbolic link to {real}, outside the repository"
        return None

    def error(
        self,
        source: Path,
        where: str,
        value: str | Path,
        *,
        line: int | None = None,
        column: int | None = None,
    ) -> InputError | None:
        """An InputError for `source` when `value`, given at `where`, leaves the root."""
        problem = self.problem(value)
        if problem is None:
            return None
        return InputError(
            source,
            f"{where} names '{value}', which {problem}",
            line=line,
            column=column,
            fix=_fix(self.config_name),
        )

    def file_error(self, path: Path, what: str) -> InputError | None:
        """An InputError when a file found in one of the repository's folders leaves the root."""
        problem = self.problem(path)
        if problem is None:
            return None
        return InputError(path, f"this {what} {problem}", fix=_fix(self.config_name))


def path_values(
    schema: Mapping[str, Any], instance: Any, at: KeyPath = ()
) -> Iterator[tuple[KeyPath, str]]:
    """Every string in `instance` whose schema marks it `"format": "repo-path"`, with its key path.

    Follows `properties`, `additionalProperties` and `items`, which is how the
    gate's schemas and kinds' params schemas nest; run it on validated data.
    """
    if schema.get("format") == PATH_FORMAT and isinstance(instance, str):
        yield at, instance
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, value in instance.items():
            child = properties.get(key, extra)
            if isinstance(child, Mapping):
                yield from path_values(child, value, (*at, key))
    elif isinstance(instance, list):
        items = schema.get("items")
        if isinstance(items, Mapping):
            for index, value in enumerate(instance):
                yield from path_values(items, value, (*at, index))


def path_errors(
    schema: Mapping[str, Any],
    instance: Any,
    policy: PathPolicy,
    *,
    source: Path,
    locate: Locator,
    prefix: KeyPath = (),
) -> list[InputError]:
    """An InputError for each repository path in `instance` that leaves the root."""
    errors = []
    for key_path, value in path_values(schema, instance):
        full = (*prefix, *key_path)
        line, column = locate(full)
        error = policy.error(source, f"'{dotted(full)}'", value, line=line, column=column)
        if error is not None:
            errors.append(error)
    return errors
