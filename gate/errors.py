"""Errors a user can cause, each one a sentence that names the file, the place and the fix."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from gate.status import ExitCode
from gate.words import counted


def display_path(path: Path | str) -> str:
    """Show a path relative to the working directory when it lies below it."""
    text = str(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:  # a different drive on Windows
        return text
    return text if rel.startswith("..") else rel


class GateError(Exception):
    """An expected error: the CLI prints its message, without a traceback, and exits."""

    exit_code: ExitCode = ExitCode.INPUT_ERROR


class InputError(GateError):
    """Something in the gate's own input is wrong: a file, a key, a line."""

    def __init__(
        self,
        path: Path | str | None,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        fix: str | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else None
        self.message = message
        self.line = line
        self.column = column
        self.fix = fix
        super().__init__(str(self))

    @property
    def where(self) -> str:
        """`file:line:column`, as far as it is known."""
        if self.path is None:
            return "gate"
        parts = [display_path(self.path)]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.path is not None else self.message
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text


class InputErrors(GateError):
    """Several input errors found in one pass, reported together so one run shows them all."""

    def __init__(self, errors: Iterable[InputError]) -> None:
        self.errors = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.errors)
        lines = [str(error) for error in self.errors]
        lines.append(f"{counted(count, 'problem')} in the gate's input; nothing was run.")
        return "\n".join(lines)


def require_http_url(option: str, value: str, example: str) -> None:
    """Refuse a command-line URL that is not http(s) with a host, before it is asked anything.

    A typo there would otherwise make everything it serves an error: exit 3 for
    what is a usage mistake (exit 2).
    """
    problem = url_problem(value)
    if problem is not None:
        raise InputError(None, f"{option} '{value}' {problem}", fix=f"give {example}")


def url_problem(value: str) -> str | None:
    """Why `value` cannot be an http(s) URL to ask (`is not an http or https URL`), or None.

    The URL is read as the HTTP client will read it: a host, and a port if any
    that is a number below 65536.
    """
    try:
        parts = urlsplit(value)
        host, _ = parts.hostname, parts.port  # each raises ValueError when it cannot be read
    except ValueError as exc:
        return f"is not a URL: {exc}"
    if parts.scheme not in ("http", "https") or not host or " " in value:
        return "is not an http or https URL"
    return None


class TargetError(GateError):
    """The target could not be started or reached at all, so nothing could be judged."""

    exit_code = ExitCode.UNJUDGED


def open_input(path: Path, what: str) -> BinaryIO:
    """Open an input file for reading bytes, or say in a sentence why it cannot be opened."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InputError(path, f"{what} not found", fix=f"create {path} or fix the path") from None
    except IsADirectoryError:
        raise InputError(path, f"{what} is a directory, not a file") from None
    except OSError as exc:
        raise InputError(path, f"{what} cannot be read: {exc.strerror}") from None
