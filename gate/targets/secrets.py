"""Secrets from the environment: `${NAME}` in header values, expanded late and never shown."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

from gate.errors import InputError
from gate.redact import MASK, Redactor, remember

__all__ = ["MASK", "Redactor", "expand_headers", "reference_problems", "url_credentials"]

_REFERENCE = re.compile(r"\$\{([^}]*)\}")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# What a header value can carry on the wire: visible ASCII, spaces and tabs.
_UNSENDABLE = re.compile(r"[^\t\x20-\x7e]")
_CANNOT_CARRY = (
    "a character a header cannot carry (a line break, a control character "
    "or a letter outside ASCII)"
)

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
    if _UNSENDABLE.search(_REFERENCE.sub("", value)):
        problems.append(f"has {_CANNOT_CARRY}")
    return problems


def expand_headers(
    headers: Mapping[str, str],
    *,
    environ: Mapping[str, str] | None = None,
    config_path: Path,
    locate: Locate | None = None,
    section: str = "target",
) -> tuple[dict[str, str], Redactor]:
    """Headers with every `${NAME}` replaced, and a redactor that hides the values used.

    A variable that is unset or empty is an InputError naming the header's line:
    an empty token usually means a CI secret that was not passed on. `section`
    is the mapping of gate.yaml the headers belong to (`target`, `prometheus`).
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
                    f"{section}.headers.{header} needs the environment variable {variable}, "
                    "which is not set or is empty",
                    line=locate((section, "headers", header)) if locate else None,
                    fix=f"export {variable} before running the gate, or remove the header",
                )
            if _UNSENDABLE.search(found):
                # Never the value itself: it is a secret, and the problem is in it.
                raise InputError(
                    config_path,
                    f"{section}.headers.{header} takes the environment variable {variable}, "
                    f"whose value has {_CANNOT_CARRY}",
                    line=locate((section, "headers", header)) if locate else None,
                    fix=f"export {variable} again without it; a pasted token often ends in a "
                    "line break",
                )
            secrets.append(found)
            remember(found)
            return found

        expanded[name] = _REFERENCE.sub(substitute, value)
    return expanded, Redactor(secrets)


def url_credentials(url: str) -> list[str]:
    """The secrets in a URL's user part: the password, or a user given alone (a token).

    They are remembered, so every output of the process masks them, as they
    are written in the URL and as they are once decoded.
    """
    parts = urlsplit(url)
    secret = parts.password if parts.password else parts.username
    if not secret:
        return []
    raw = parts.netloc.rpartition("@")[0]
    written = raw.partition(":")[2] if parts.password else raw
    found = [value for value in {secret, unquote(secret), written} if value]
    for value in found:
        remember(value)
    return found
