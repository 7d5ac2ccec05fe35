"""Secrets from the environment: `${NAME}` in header values, expanded late and never shown."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from gate.errors import InputError

_REFERENCE = re.compile(r"\$\{([^}]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
MASK = "***"

Locate = Callable[[tuple[str | int, ...]], int | None]


def reference_problems(value: str) -> list[str]:
    """What is wrong with the `${...}` references of one value (empty when all is well)."""
    problems = []
    for match in _REFERENCE.finditer(value):
        if not _NAME.match(match.group(1)):
            problems.append(
                f"has '${{{match.group(1)}}}', which is not an environment variable name"
            )
    if "${" in value and "}" not in value[value.index("${") :]:
        problems.append("has '${' without its closing '}'")
    return problems


def expand_headers(
    headers: Mapping[str, str],
    *,
    environ: Mapping[str, str] | None = None,
    config_path: Path,
    locate: Locate | None = None,
) -> tuple[dict[str, str], Redactor]:
    """Headers with every `${NAME}` replaced, and a redactor that hides the values used.

    A variable that is unset or empty is an InputError naming the header's line:
    an empty token usually means a CI secret that was not passed on.
    """
    env = os.environ if environ is None else environ
    expanded: dict[str, str] = {}
    secrets: list[str] = []
    for name, value in headers.items():

        def substitute(match: re.Match[str], header: str = name) -> str:
            variable = match.group(1)
            found = env.get(variable, "")
            if not found:
                raise InputError(
                    config_path,
                    f"target.headers.{header} needs the environment variable {variable}, "
                    "which is not set or is empty",
                    line=locate(("target", "headers", header)) if locate else None,
                    fix=f"export {variable} before running the gate, or remove the header",
                )
            secrets.append(found)
            return found

        expanded[name] = _REFERENCE.sub(substitute, value)
    return expanded, Redactor(secrets)


class Redactor:
    """Replaces every secret value in a text with ***, longest first."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = sorted({secret for secret in secrets if secret}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text

    def __bool__(self) -> bool:
        return bool(self.secrets)
