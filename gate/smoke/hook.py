"""The rollback hook: a command run once when the bake's verdict becomes fail."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gate.redact import scrub

MAX_OUTPUT = 4000


@dataclass(frozen=True)
class HookResult:
    """What the hook did: its exit status (None if it was stopped) and the end of its output."""

    command: str
    exit_status: int | None
    output: str
    duration_s: float
    timed_out: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "exit_status": self.exit_status,
            "output": self.output,
            "duration_s": self.duration_s,
            "timed_out": self.timed_out,
        }

    def describe(self) -> str:
        if self.timed_out:
            return f"was stopped after {self.duration_s:.1f} s"
        if self.exit_status is None:
            return "could not be started"
        return f"exited {self.exit_status} after {self.duration_s:.1f} s"


def run_hook(command: str, env: Mapping[str, str], timeout_s: float) -> HookResult:
    """Run `command` through the shell with `env` added to the environment.

    Its output (stdout and stderr together) is kept up to the last 4,000
    characters. Past `timeout_s` its whole process group is killed, so a
    rollback script that hangs cannot hold the bake's exit forever.
    """
    started = time.perf_counter()
    try:
        process = subprocess.Popen(
            command,
            shell=True,
            env={**os.environ, **env},
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        return HookResult(command, None, f"{exc.__class__.__name__}: {exc}", 0.0)
    timed_out = False
    try:
        raw, _ = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        timed_out = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        raw, _ = process.communicate()
    # The hook inherits the environment, secrets included: masked, then cut.
    output = scrub(raw.decode("utf-8", "replace"))[-MAX_OUTPUT:]
    return HookResult(
        command,
        None if timed_out else process.returncode,
        output,
        round(time.perf_counter() - started, 3),
        timed_out,
    )
