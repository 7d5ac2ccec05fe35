"""Options shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

config_option = click.option(
    "--config",
    "-c",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("gate.yaml"),
    show_default=True,
    help="The gate configuration.",
)


def warn(lines: tuple[str, ...] | list[str]) -> None:
    for line in lines:
        click.echo(f"gate: warning: {line}", err=True)
