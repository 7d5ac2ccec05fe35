"""SIGINT and SIGTERM during a bake: stop the round in flight, then finish the evidence."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


class Stopper:
    """Calls `on_stop(signal name)` for SIGINT and SIGTERM, for the whole bake.

    Inside the event loop the loop's own handlers call it, so the rounds task
    can be cancelled at once. Outside the loop (before the first round, while
    the report is written) a signal is only passed on, never raised: finishing
    the evidence must not be cut in half.
    """

    def __init__(self, on_stop: Callable[[str], None]) -> None:
        self.on_stop = on_stop

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        self.on_stop(signal.Signals(signum).name)

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Handle the signals until the block ends, then put the previous handlers back."""
        if not _main_thread():  # signals reach the main thread only
            yield
            return
        previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
        for sig in SIGNALS:
            signal.signal(sig, self._handler)
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    @contextlib.contextmanager
    def in_loop(self, loop: asyncio.AbstractEventLoop) -> Iterator[None]:
        """Let the running loop handle the signals within the block."""
        installed = []
        for sig in SIGNALS:
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                loop.add_signal_handler(sig, self.on_stop, sig.name)
                installed.append(sig)
        try:
            yield
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)
                # Removing a loop's handler resets the signal to its default action.
                if _main_thread():
                    signal.signal(sig, self._handler)
