"""Keeping a kind's faults inside its own check: time limits, and answers of the wrong shape.

A kind is code the gate did not write. Whatever it does (raise, hang, return
something that is not a Judgement or a Measurement), its check is `error` with
the fault in a sentence, and every other check is still judged.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from types import CodeType, FrameType
from typing import Any, TypeVar

import orjson

from gate.kinds.base import Judgement, Measurement
from gate.redact import scrub
from gate.status import Status
from gate.words import counted

T = TypeVar("T")

DEFAULT_TIMEOUT_S = 60.0  # a check file's `timeout_s` when it sets none


class KindTimeout(BaseException):
    """A kind's call ran past its check's `timeout_s`.

    A BaseException, like KeyboardInterrupt, so that a kind's own
    `except Exception` cannot swallow it and keep hanging.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"did not return within {seconds:g} s")
        self.seconds = seconds


def summary(exc: BaseException) -> str:
    """`ValueError: the first line of its message`, at most 300 characters, secrets masked.

    Masked before it is cut: a secret cut in half could no longer be found.
    """
    text = scrub(str(exc)).splitlines()[0] if str(exc) else ""
    return f"{exc.__class__.__name__}: {text}"[:300] if text else exc.__class__.__name__


def call_with_limit(function: Callable[[], T], seconds: float) -> T:
    """`function()` run in a thread of its own; KindTimeout if it has not returned in `seconds`.

    A thread cannot be stopped from outside, so one that hangs is left behind;
    it is a daemon, so it never keeps the gate from exiting.
    """
    outcome: list[tuple[bool, Any]] = []

    def run() -> None:
        try:
            outcome.append((True, function()))
        except BaseException as exc:  # handed to the caller, never printed by the thread
            outcome.append((False, exc))

    worker = threading.Thread(target=run, name="gate-kind", daemon=True)
    worker.start()
    worker.join(seconds)
    if not outcome:
        raise KindTimeout(seconds)
    returned, value = outcome[0]
    if not returned:
        raise value
    result: T = value
    return result


def _a(value: object) -> str:
    """`a str`, `an int`: the type of a value, as a sentence names it."""
    name = type(value).__name__
    return f"{'an' if name[0] in 'aeiouAEIOU' else 'a'} {name}"


def _number_problem(value: object) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{_a(value)}, not a number"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value}, not a finite number"
    return None


def judgement_problem(value: object) -> str | None:
    """What is wrong with a `judge` return value, or None when it is a proper Judgement."""
    if not isinstance(value, Judgement):
        return f"{_a(value)}, not a Judgement"
    if not isinstance(value.ok, bool):
        return f"a Judgement whose ok is {_a(value.ok)}, not a bool"
    if not isinstance(value.reason, str):
        return f"a Judgement whose reason is {_a(value.reason)}, not a str"
    if value.sums is None:
        return None
    if not isinstance(value.sums, Mapping):
        return f"a Judgement whose sums is {_a(value.sums)}, not a mapping"
    for key, amount in value.sums.items():
        if not isinstance(key, str):
            return f"a Judgement whose sums has {_a(key)} key, not a str"
        problem = _number_problem(amount)
        if problem is not None:
            return f"a Judgement whose sums[{key!r}] is {problem}"
    return None


def verdicts_problem(value: object, count: int) -> str | None:
    """What is wrong with a `judge_many` return value as a whole; each verdict is checked apart."""
    if not isinstance(value, list):
        return f"{_a(value)}, not a list of Judgements"
    if len(value) != count:
        return f"{counted(len(value), 'verdict')} for {counted(count, 'item')}"
    return None


_DECIDED = (Status.PASS, Status.FAIL, Status.ERROR)


def measurement_problem(value: object) -> str | None:
    """What is wrong with a `verdict` or `evaluate` return value, or None when it is proper."""
    if not isinstance(value, Measurement):
        return f"{_a(value)}, not a Measurement"
    if value.status not in _DECIDED or not isinstance(value.status, Status):
        return f"a Measurement whose status is {value.status!r}, not pass, fail or error"
    measured = value.measured
    # Any float will do: the report writes one that is not finite as null.
    if isinstance(measured, bool) or not isinstance(measured, str | int | float | None):
        return f"a Measurement whose measured value is {_a(measured)}"
    for name in ("limit", "message"):
        field = getattr(value, name)
        if not isinstance(field, str) and not (name == "limit" and field is None):
            return f"a Measurement whose {name} is {_a(field)}, not a str"
    if not isinstance(value.details, Mapping):
        return f"a Measurement whose details is {_a(value.details)}, not a mapping"
    try:
        orjson.dumps(dict(value.details))
    except TypeError as exc:
        return f"a Measurement whose details cannot be written as JSON ({exc})"
    return None


class JudgeClock:
    """A hard time limit on every `judge` call of a run, kept by periodic SIGALRM ticks.

    `judge` runs inline on the event loop, up to a million times a run, so it
    cannot go through a thread each time. The runner marks the call in progress
    (`current`, a fresh tuple per call) and each tick looks at the mark: when one
    call is still running past its check's limit, the handler raises KindTimeout
    inside it. That stops Python code and the blocking calls that return to
    Python on a signal (sleep, socket reads, lock waits); C code that never
    returns to Python cannot be stopped. Signals reach the main thread only, so
    elsewhere (and where another SIGALRM handler is installed) there is no hard
    limit, only the measured one.
    """

    def __init__(self) -> None:
        self.current: tuple[Any, ...] | None = None  # (the Judge being called, the item)
        self._seen: tuple[Any, ...] | None = None
        self._since = 0.0
        self._spared: frozenset[CodeType] = frozenset()
        self._open = 0  # the blocks ticking now; the last one out stops the ticks
        self._previous: Any = None  # the SIGALRM handler before the first block

    def _tick(self, signum: int, frame: FrameType | None) -> None:
        marked = self.current
        if marked is None or marked is not self._seen:
            self._seen, self._since = marked, time.monotonic()
            return
        seconds: float = marked[0].check.timeout_s
        if time.monotonic() - self._since < seconds:
            return
        # In the runner's own frame the mark is set but no judge is running yet
        # (or it has just returned): raising there would stop the run itself.
        if frame is None or frame.f_code in self._spared:
            return
        self._seen = None
        raise KindTimeout(seconds)

    @contextlib.contextmanager
    def ticking(self, timeouts: list[float], spared: tuple[CodeType, ...]) -> Iterator[None]:
        """Tick while the block runs, a quarter of the shortest limit apart.

        Runs sharing one event loop (`gate prove`) overlap without nesting: the
        ticks go on until the last of them ends, at the first one's interval.
        """
        if self._open and threading.current_thread() is threading.main_thread():
            self._open += 1
            try:
                yield
            finally:
                self._close()
            return
        self._spared = frozenset(spared)
        installable = (
            timeouts
            and threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, signal.SIG_IGN, None)
        )
        if not installable:
            yield
            return
        interval = max(0.01, min(timeouts) / 4)
        self._previous = signal.signal(signal.SIGALRM, self._tick)
        signal.setitimer(signal.ITIMER_REAL, interval, interval)
        self._open = 1
        try:
            yield
        finally:
            self._close()

    def _close(self) -> None:
        self._open -= 1
        if self._open == 0:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)
            self.current = self._seen = None


CLOCK = JudgeClock()
