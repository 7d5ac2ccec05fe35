"""The launched service: a port conflict in the service's own words, and no orphan after kill -9."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from gate.cli import cli
from gate.status import ExitCode
from tests.conftest import REPO, write_project

TUTOR = ["{python}", "-m", "examples.tutor", "--host", "127.0.0.1", "--manifest", "{manifest}"]


def _tutor_project(root: Path, command: list[str]) -> Path:
    """A project whose target launches the reference tutor with `command`."""
    config = write_project(root, {"type": "http", "launch": {"command": command}}, items=10)
    (root / "releases" / "v2.3.4.yaml").write_bytes((REPO / "releases/v2.3.4.yaml").read_bytes())
    data = yaml.safe_load(config.read_text())
    config.write_text(yaml.safe_dump({**data, "manifest": "releases/v2.3.4.yaml"}))
    return config


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A loopback port someone else is listening on."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        yield holder.getsockname()[1]


def test_a_port_conflict_is_told_in_the_services_own_words(
    tmp_path: Path, taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The command forgets {port} and asks for a port another process holds.
    config = _tutor_project(tmp_path / "p", [*TUTOR, "--port", str(taken_port)])
    monkeypatch.setenv("PYTHONPATH", str(REPO))  # the tutor is imported from the repository
    monkeypatch.chdir(config.parent)
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == ExitCode.UNJUDGED
    note = result.output[result.output.index("note: ") :]
    lines = note.splitlines()
    assert lines[0] == (
        f"note: the launched target exited with status 1 before it was ready: {sys.executable} "
        f"-m examples.tutor --host 127.0.0.1 --manifest {config.parent}/releases/v2.3.4.yaml "
        f"--port {taken_port}"
    )
    assert re.fullmatch(
        r"    \S+ \S+ examples\.tutor cannot serve: \[Errno 98\] error while attempting to bind "
        rf"on address \('127\.0\.0\.1', {taken_port}\): address already in use",
        lines[1],
    ), lines[1]
    assert re.fullmatch(
        r"    target\.launch\.command does not pass \{port\}: the gate waits for the service on "
        r"port \d+, and another process holds that port; put \{port\} in the command",
        lines[2],
    ), lines[2]


def test_a_service_listening_elsewhere_is_told_to_take_its_port(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:  # a port that is free, and not the one the gate chose
        probe.bind(("127.0.0.1", 0))
        elsewhere = probe.getsockname()[1]
    config = _tutor_project(tmp_path / "p", [*TUTOR, "--port", str(elsewhere)])
    data = yaml.safe_load(config.read_text())
    data["target"]["launch"]["ready_timeout_s"] = 1
    config.write_text(yaml.safe_dump(data))
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.chdir(config.parent)
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == ExitCode.UNJUDGED
    note = result.output[result.output.index("note: ") :].splitlines()
    assert note[0].startswith(
        "note: the launched target did not answer /healthz with 200 within 1 s: "
    )
    assert re.fullmatch(
        r"    target\.launch\.command does not pass \{port\}: the gate waits for the service on "
        r"port \d+, and it listens elsewhere; put \{port\} in the command",
        note[-2],
    ), note


def test_gate_python_names_the_interpreter_the_service_runs_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The composite action sets GATE_PYTHON to the caller's Python. Here a
    # wrapper stands for it: it notes that it ran, then starts the real one.
    config = _tutor_project(tmp_path / "p", [*TUTOR, "--port", "{port}"])
    called = tmp_path / "called.txt"
    wrapper = tmp_path / "caller-python"
    wrapper.write_text(f'#!/bin/sh\necho "$@" > {called}\nexec {sys.executable} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PYTHONPATH", str(REPO))
    monkeypatch.setenv("GATE_PYTHON", str(wrapper))
    monkeypatch.chdir(config.parent)
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == ExitCode.OK, result.output
    assert called.read_text().startswith("-m examples.tutor --host 127.0.0.1 --manifest ")
    monkeypatch.setenv("GATE_PYTHON", str(tmp_path / "no-such-python"))
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert f"target.launch.command: '{tmp_path}/no-such-python' was not found" in result.output


def _children(parent: int, marker: str) -> set[int]:
    listing = subprocess.run(["ps", "-eo", "pid,ppid,args"], capture_output=True, text=True)
    found = set()
    for line in listing.stdout.splitlines()[1:]:
        pid, ppid, args = line.split(None, 2)
        if int(ppid) == parent and marker in args:
            found.add(int(pid))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead, only not yet reaped by its new parent.
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"


def _wait(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return bool(condition())


def test_kill_9_leaves_the_previous_report_and_no_tutor(tmp_path: Path) -> None:
    config = _tutor_project(
        tmp_path / "p", [*TUTOR, "--port", "{port}", "--latency-ms", "3000"]
    )  # fmt: skip
    root = config.parent
    previous = b'{"schema": "gate-report/1", "verdict": "pass", "from": "yesterday"}\n'
    (root / "r.json").write_bytes(previous)
    gate = subprocess.Popen(
        [sys.executable, "-m", "gate", "run", "--report-json", "r.json", "--junit", "j.xml"],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait(lambda: _children(gate.pid, "examples.tutor"), 20), "no tutor was launched"
        (tutor,) = _children(gate.pid, "examples.tutor")
        time.sleep(1.0)  # the tutor is up, and the gate waits on its slow answers
        gate.send_signal(signal.SIGKILL)
        gate.wait(10)
    finally:
        if gate.poll() is None:
            gate.kill()
    assert gate.returncode == -signal.SIGKILL
    assert (root / "r.json").read_bytes() == previous
    # A temporary file may be left by a kill mid-write, but never one a glob for reports takes.
    assert sorted(path.name for path in root.glob("*.json")) == ["r.json"]
    assert list(root.glob("*.xml")) == []
    assert _wait(lambda: not _alive(tutor), 10), "the tutor outlived the gate"
