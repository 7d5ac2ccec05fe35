"""Progress while answers arrive: a bar on a terminal, nothing in a CI log."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TextIO

from gate.words import counted


@contextlib.contextmanager
def progress_for(
    stream: TextIO, total: Callable[[], int] | None = None
) -> Iterator[Callable[[int, int], None] | None]:
    """A callback (answers, errors) drawing a live bar when `stream` is a terminal.

    `total` counts the items the run will ask for; it is only called on a
    terminal, since counting reads the corpora once more.
    """
    if not stream.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    started = time.perf_counter()
    columns = (
        SpinnerColumn(),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=Console(file=stream), transient=True) as bar:
        task = bar.add_task("asking the target", total=total() if total else None)

        def update(done: int, errors: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            bar.update(
                task, completed=done, description=f"{counted(errors, 'error')}, {rate:.0f}/s"
            )

        yield update
