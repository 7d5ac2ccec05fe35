"""Options shared by several commands."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

CONFIG_ENV = "GATE_CONFIG"
DEFAULT_CONFIG = Path("gate.yaml")
_CONFIG_KEY = "gate.config"
_CONFIG_HELP = f"The gate configuration (default: ${CONFIG_ENV}, else {DEFAULT_CONFIG})."


def _remember_config(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    # ctx.meta is shared by the group and its subcommands: the subcommand reads it.
    if value is not None:
        ctx.meta[_CONFIG_KEY] = value


def _resolve_config(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    # Given after the subcommand it wins; otherwise the group's (or $GATE_CONFIG's) value.
    if value is not None:
        return value
    given: Path | None = ctx.meta.get(_CONFIG_KEY)
    return given if given is not None else DEFAULT_CONFIG


group_config_option = click.option(
    "--config",
    "-c",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    envvar=CONFIG_ENV,
    callback=_remember_config,
    expose_value=False,
    help=_CONFIG_HELP,
)

config_option = click.option(
    "--config",
    "-c",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    callback=_resolve_config,
    help=_CONFIG_HELP,
)


prometheus_option = click.option(
    "--prometheus-url",
    metavar="URL",
    help="The Prometheus that prometheus_query checks ask (default: gate.yaml's prometheus.url).",
)


def shard_option(func: F) -> F:
    """`--shard K/N`: judge only shard K of N of every corpus."""

    def parse(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
        from gate.shard import parse_shard

        if value is None:
            return None
        try:
            return parse_shard(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx, param) from None

    return click.option(
        "--shard",
        metavar="K/N",
        callback=parse,
        help="Judge only shard K of N of every corpus (static checks run in shard 1); "
        "`gate merge` adds the shards' reports up.",
    )(func)


def warn(lines: tuple[str, ...] | list[str]) -> None:
    for line in lines:
        click.echo(f"gate: warning: {line}", err=True)


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@contextlib.contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """Within the block, SIGTERM (a CI runner cancelling the job) unwinds like Ctrl-C.

    So a launched service is stopped, the exit is 3 and no report is written
    half; outside it, the previous handler is back.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def max_items_option(func: F) -> F:
    """`--max-items-per-check N`: how many failed and errored items each check lists."""
    from gate.tally import MAX_ITEMS_PER_CHECK

    return click.option(
        "--max-items-per-check",
        type=click.IntRange(min=0),
        default=MAX_ITEMS_PER_CHECK,
        show_default=True,
        help="List at most this many failed and errored items of each check in the reports "
        "(the first in corpus order); the report says how many more were left out.",
    )(func)


html_option = click.option(
    "--report-html",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the HTML report here: one file that works offline.",
)
