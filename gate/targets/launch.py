"""Starting a local service for a run: a free loopback port, a wait for health, a sure stop."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import os
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

import httpx

from gate.errors import InputError, TargetError
from gate.redact import scrub

_PR_SET_PDEATHSIG = 1
# How services say their port is taken: Python, Node, Go and the C library.
_ADDRESS_IN_USE = ("address already in use", "eaddrinuse", "errno 98")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _die_with_parent() -> None:
    # Linux only: if the gate is killed outright (kill -9), the kernel sends
    # SIGTERM to the service, so no orphan keeps the port.
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Launched:
    """A service the gate starts itself; an async context manager that always stops it."""

    def __init__(
        self,
        command: Sequence[str],
        *,
        cwd: Path,
        placeholders: Mapping[str, str],
        ready_path: str,
        ready_timeout_s: float,
        config_path: Path,
        env: Mapping[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.env = {**os.environ, **(env or {})}
        # {python} is the service's interpreter: the gate's own, unless GATE_PYTHON
        # names another (the composite action passes the caller's, so the service
        # runs with the caller's packages rather than the gate's).
        python = self.env.get("GATE_PYTHON") or sys.executable
        values = {**placeholders, "port": str(self.port), "python": python}
        try:
            self.argv = [part.format(**values) for part in command]
        except (KeyError, IndexError, ValueError) as exc:
            raise InputError(
                config_path,
                f"target.launch.command has an unknown placeholder {exc}",
                fix=f"use only {{{'}, {'.join(sorted(values))}}}",
            ) from None
        self.uses_port = any("{port}" in part for part in command)
        self.cwd = cwd
        self.url = f"http://127.0.0.1:{self.port}"
        self.ready_path = ready_path
        self.ready_timeout_s = ready_timeout_s
        self.config_path = config_path
        self.process: asyncio.subprocess.Process | None = None
        self.log: IO[bytes] | None = None

    async def __aenter__(self) -> Launched:
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        try:
            self.process = await asyncio.create_subprocess_exec(
                *self.argv,
                cwd=self.cwd,
                env=self.env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=self.log,
                stderr=self.log,
                start_new_session=True,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        except FileNotFoundError:
            self.log.close()
            raise InputError(
                self.config_path,
                f"target.launch.command: '{self.argv[0]}' was not found",
                fix="install it or give its full path",
            ) from None
        try:
            await self._wait_ready()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.stop()

    def _output_tail(self) -> str:
        if self.log is None:
            return ""
        # Masked before it is cut to its last 2,000 characters, so no tail of a secret survives.
        self.log.seek(max(0, self.log.seek(0, os.SEEK_END) - 8192))
        text = scrub(self.log.read().decode("utf-8", "replace"))[-2000:].strip()
        return "\n    ".join(text.splitlines()[-12:])

    def _hint(self, output: str) -> str:
        """Why a service never became ready, when its command or output tells."""
        in_use = any(sign in output.lower() for sign in _ADDRESS_IN_USE)
        if not self.uses_port:
            where = "another process holds that port" if in_use else "it listens elsewhere"
            return (
                f"\n    target.launch.command does not pass {{port}}: the gate waits for the "
                f"service on port {self.port}, and {where}; put {{port}} in the command"
            )
        if in_use:
            return (
                f"\n    port {self.port} was free when the gate chose it but was taken before "
                "the service bound it; run the gate again"
            )
        return ""

    async def _wait_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.ready_timeout_s
        url = self.url + self.ready_path
        # verify=False: the service is asked over plain http on loopback, and
        # loading the certificate store would cost 0.1 s of CPU per launch.
        async with httpx.AsyncClient(timeout=1.0, verify=False) as client:
            while True:
                if self.process.returncode is not None:
                    output = self._output_tail()
                    raise TargetError(
                        f"the launched target exited with status {self.process.returncode} "
                        f"before it was ready: {' '.join(self.argv)}\n    {output}"
                        + self._hint(output)
                    )
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(url)).status_code == 200:
                        return
                if time.monotonic() > deadline:
                    output = self._output_tail()
                    raise TargetError(
                        f"the launched target did not answer {self.ready_path} with 200 within "
                        f"{self.ready_timeout_s:g} s: {' '.join(self.argv)}"
                        f"\n    {output}" + self._hint(output)
                    )
                await asyncio.sleep(0.05)

    async def stop(self) -> None:
        """Stop the service's whole process group: SIGTERM, then SIGKILL after 5 s."""
        process = self.process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                await asyncio.wait_for(asyncio.shield(process.wait()), 5)
            except (TimeoutError, asyncio.CancelledError):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                await process.wait()
        if self.log is not None:
            self.log.close()
            self.log = None
