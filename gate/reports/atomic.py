"""Atomic writes: a reader sees the old file or the whole new one, never half of it."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from gate.errors import GateError, display_path


def write_atomic(path: Path, data: bytes, what: str = "the report") -> None:
    """Write `data` to a temporary file beside `path`, flush it to disk, then rename it over.

    `what` names the file in an error, as in `open_atomic`.
    """
    with open_atomic(path, what) as stream:
        stream.write(data)


@contextlib.contextmanager
def open_atomic(path: Path, what: str = "the report") -> Iterator[BinaryIO]:
    """A stream to write `path` through: a hidden temporary file beside it, flushed to
    disk and renamed over `path` when the block ends, and removed if the block raises.

    Args:
        path: the file to write.
        what: how an error names the file (`cannot write the recording: ...`).
    """
    path = Path(path)
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise GateError(f"{display_path(path)}: cannot write {what}: {exc.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            # mkstemp makes the file readable by its owner alone; the file it
            # becomes keeps its old mode, or gets what the umask gives a new one.
            os.fchmod(stream.fileno(), _mode_for(path))
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise GateError(f"{display_path(path)}: cannot write {what}: {exc.strerror}") from None
        raise


def _mode_for(path: Path) -> int:
    """The permission bits `path` keeps, or those a new file gets under the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
