"""Progress while answers arrive: a bar on a terminal, nothing in a CI log."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TextIO


@contextlib.contextmanager
def progress_for(stream: TextIO) -> Iterator[Callable[[int, int], None] | None]:
    """A callback (answers, errors) drawing a live line when `stream` is a terminal."""
    if not stream.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    started = time.perf_counter()
    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=Console(file=stream), transient=True) as bar:
        task = bar.add_task("asking the target")

        def update(done: int, errors: int) -> None:
            rate = done / max(time.perf_counter() - started, 1e-9)
            bar.update(task, description=f"{done} answers, {errors} errors, {rate:.0f}/s")

        yield update
