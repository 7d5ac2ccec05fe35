"""The repository's own gate against the reference tutor, launched on loopback for real."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.status import ExitCode
from gate.targets.launch import free_port
from tests.conftest import REPO


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(REPO)
    return REPO


def _report(path: Path) -> dict[str, dict[str, object]]:
    report = json.loads(path.read_text())
    return {check["id"]: check for check in report["checks"]}


def test_the_incident_release_is_blocked_by_the_empty_gloss(in_repo: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli, ["run", "--manifest", "releases/v2.4.0.yaml", "--report-json", str(report)]
    )
    assert result.exit_code == ExitCode.BLOCKED, result.output
    gloss = _report(report)["spanish-gloss-nonempty"]
    assert gloss["status"] == "fail"
    assert isinstance(gloss["measured"], float) and gloss["measured"] > 0.2
    item = gloss["action_item"]
    assert isinstance(item, dict)
    assert (item["ref"], item["owner"], item["due"]) == (
        "INC-2026-08-14-tutor-spanish-gloss-missing#AI-4",
        "Borja",
        "2026-08-22",
    )
    assert json.loads(report.read_text())["target"]["launched"] is True


def test_the_previous_release_passes(in_repo: Path) -> None:
    result = CliRunner().invoke(cli, ["run", "--manifest", "releases/v2.3.4.yaml"])
    assert result.exit_code == ExitCode.OK, result.output


def test_an_unreachable_target_cannot_be_judged(in_repo: Path, tmp_path: Path) -> None:
    port = free_port()  # nothing listens there
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli,
        [
            "run",
            "--manifest",
            "releases/v2.3.4.yaml",
            "--target-url",
            f"http://127.0.0.1:{port}",
            "--report-json",
            str(report),
        ],
    )
    assert result.exit_code == ExitCode.UNJUDGED, result.output
    gloss = _report(report)["spanish-gloss-nonempty"]
    assert gloss["status"] == "error"
    assert gloss["tally"]["errored"] == gloss["tally"]["total"]  # type: ignore[index]


def test_a_broken_config_names_its_file_and_line(tmp_path: Path) -> None:
    for folder in ("checks", "corpora", "releases", "postmortems"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    text = (REPO / "gate.yaml").read_text().replace("concurrency: 32", "concurency: 32")
    (tmp_path / "gate.yaml").write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "gate", "run"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == ExitCode.INPUT_ERROR
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "concurency" in row)
    assert result.stderr.startswith(f"gate.yaml:{line}:3: unknown key 'concurency' in target\n")
    assert "did you mean 'concurrency'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_launched_tutor_is_stopped_after_the_run(in_repo: Path, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli, ["run", "--manifest", "releases/v2.4.0.yaml", "--report-json", str(report)]
    )
    assert result.exit_code == ExitCode.BLOCKED
    # The report names the port the launched tutor listened on; nobody may listen there now.
    url = urlsplit(json.loads(report.read_text())["target"]["url"])
    with socket.socket() as probe:
        assert probe.connect_ex((url.hostname, url.port)) != 0


def test_a_target_that_dies_at_start_is_an_error(tmp_path: Path) -> None:
    for folder in ("checks", "corpora", "releases", "postmortems"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    for name in ("alerts.yml", "alerts_test.yml", "portal-log.jsonl"):  # files checks name
        (tmp_path / "examples/tutor").mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / "examples/tutor" / name, tmp_path / "examples/tutor" / name)
    text = (REPO / "gate.yaml").read_text()
    start = text.index("    command:")
    end = text.index("\n", text.index("--manifest", start))
    # The output is put together as it is written, so the command line does not hold it.
    crash = "import sys; sys.stderr.write('Trace' + 'back: the lessons are gone'); sys.exit(4)"
    text = text[:start] + f'    command: ["{{python}}", "-c", "{crash}", "{{port}}"]' + text[end:]
    (tmp_path / "gate.yaml").write_text(text)
    result = subprocess.run(
        [sys.executable, "-m", "gate", "run", "--suite", "release"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == ExitCode.UNJUDGED, result.stdout + result.stderr
    assert "the launched target exited with status 4 before it was ready" in result.stdout
    # Six response checks could not be judged; the service's output is shown once, in the note.
    assert result.stdout.count("Traceback: the lessons are gone") == 1


def _tutors(parent: int) -> set[int]:
    """The reference tutors that `parent` started."""
    listing = subprocess.run(["ps", "-eo", "pid,ppid,args"], capture_output=True, text=True)
    found = set()
    for line in listing.stdout.splitlines()[1:]:
        pid, ppid, args = line.split(None, 2)
        if int(ppid) == parent and "examples.tutor" in args:
            found.add(int(pid))
    return found


def test_free_port_is_free() -> None:
    port = free_port()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_run_stops_the_tutor_and_writes_no_report(
    tmp_path: Path, signum: int
) -> None:
    for folder in ("checks", "corpora", "releases", "postmortems"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    # A copy, not a link: a link out of the repository is refused like any other.
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "examples", tmp_path / "examples", ignore=ignore)
    text = (
        (REPO / "gate.yaml")
        .read_text()
        .replace(
            '"--manifest", "{manifest}"]', '"--manifest", "{manifest}", "--latency-ms", "1000"]'
        )
    )
    (tmp_path / "gate.yaml").write_text(text)
    process = subprocess.Popen(
        [sys.executable, "-m", "gate", "run", "--report-json", "r.json", "--junit", "j.xml"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while not (children := _tutors(parent=process.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert children, "the gate never launched the tutor"
    time.sleep(1.0)  # the tutor is up and answering slowly
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == ExitCode.UNJUDGED, stderr
    assert "gate: interrupted; no report was written" in stderr
    assert not (tmp_path / "r.json").exists() and not (tmp_path / "j.xml").exists()
    deadline = time.monotonic() + 10
    while _alive(children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(children)


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            continue
        alive.add(pid)
    return alive
