"""Baking the reference tutor: clean at budget 32, the rollback signal when it drops to 16."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.status import ExitCode
from gate.targets.launch import free_port
from tests.conftest import REPO

GLOSS_ITEMS = {
    "spanish-gloss-nonempty": "INC-2026-08-14-tutor-spanish-gloss-missing#AI-4",
    "smoke-gloss-nonempty": "INC-2026-08-14-tutor-spanish-gloss-missing#AI-5",
}


class Tutor:
    """The reference tutor, started on a free port at a manifest a test may swap on disk."""

    def __init__(self, folder: Path) -> None:
        self.manifest = folder / "live.yaml"
        shutil.copy(REPO / "releases" / "v2.3.4.yaml", self.manifest)
        self.url = f"http://127.0.0.1:{free_port()}"
        port = self.url.rsplit(":", 1)[1]
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "examples.tutor", "--host", "127.0.0.1", "--port", port),
                *("--manifest", str(self.manifest)),
            ],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.wait_for(lambda: httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200)

    def wait_for(self, ready: Any, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if ready():
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.01)
        raise AssertionError("the tutor did not get there in time")

    def budget(self) -> int:
        text = httpx.get(f"{self.url}/metrics", timeout=1).text
        return int(float(re.search(r"^tutor_max_decode_tokens (\S+)$", text, re.M)[1]))  # type: ignore[index]

    def deploy(self, release: str) -> float:
        """Put another release's manifest in force; the time it is served, as Unix time."""
        shutil.copy(REPO / "releases" / release, self.manifest)
        wanted = 16 if release == "v2.4.0.yaml" else 32
        self.wait_for(lambda: self.budget() == wanted)
        return time.time()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def reference_tutor(tmp_path: Path) -> Iterator[Tutor]:
    tutor = Tutor(tmp_path)
    yield tutor
    tutor.stop()


def test_the_tutor_at_budget_32_bakes_clean(reference_tutor: Tutor, chdir: Any) -> None:
    chdir(REPO)
    result = CliRunner().invoke(
        cli,
        [
            *("smoke", "--target-url", reference_tutor.url, "--rounds", "5"),
            *("--interval", "0.1", "--seed", "20260814"),
        ],
    )
    assert result.exit_code == ExitCode.OK, result.output
    assert "round 5/5 PASS in " in result.output
    # A loaded machine may add a note that a round ran late; the verdict is the last word.
    lines = [line for line in result.output.splitlines() if not line.startswith("note: ")]
    assert lines[-1] == "BAKE PASS: every deciding check passed 5 rounds"


def _utc(stamp: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()


def test_dropping_to_16_mid_bake_is_signalled_within_the_bound(
    reference_tutor: Tutor, tmp_path: Path
) -> None:
    events = tmp_path / "events.jsonl"
    command = [sys.executable, "-m", "gate", "smoke", "--target-url", reference_tutor.url]
    command += ["--rounds", "40", "--interval", "0.4", "--initial-delay", "0.4", "--seed", "7"]
    command += ["--event-log", str(events), "--report-json", str(tmp_path / "report.json")]
    bake = subprocess.Popen(
        command,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deployed: list[float] = []

    def deploy_after_round_2() -> None:
        reference_tutor.wait_for(
            lambda: events.exists() and events.read_text().count('"event":"round"') >= 2
        )
        deployed.append(reference_tutor.deploy("v2.4.0.yaml"))

    switch = threading.Thread(target=deploy_after_round_2)
    switch.start()
    stdout, stderr = bake.communicate(timeout=60)
    exited = time.time()
    switch.join()
    assert bake.returncode == ExitCode.BLOCKED, stdout + stderr
    printed = re.search(r"worst-case detection ([0-9.]+) s after the deploy", stdout)
    assert printed is not None
    bound = float(printed[1])
    assert bound == 1.2  # initial_delay 0.4 s + interval 0.4 s x (failure_limit 1 + 1)
    # The bound assumes rounds that start on time; on a loaded machine they start
    # late, so the test leaves 3x headroom. The figure against the bound itself
    # is measured by benchmarks/smoke_detection.py.
    headroom = 3 * bound
    assert exited - deployed[0] <= headroom
    lines = [json.loads(line) for line in events.read_text().splitlines()]
    crossed = [line for line in lines if line["event"] == "limit_crossed"]
    assert {line["check"]: line["action_item"] for line in crossed} == GLOSS_ITEMS
    assert all(line["measured"] > 0.02 and line["decides"] for line in crossed)
    assert _utc(crossed[0]["ts"]) - deployed[0] <= headroom
    # The log shows the round in which the empty-gloss rate first went over 2%.
    rounds = [line for line in lines if line["event"] == "round"]
    rates = [
        next(c["measured"] for c in line["checks"] if c["check"] == "spanish-gloss-nonempty")
        for line in rounds
    ]
    first_over = next(index for index, rate in enumerate(rates) if rate > 0.02)
    assert rates[:first_over] == [0.0] * first_over
    assert first_over >= 2
    assert _utc(rounds[first_over]["finished_at"]) >= deployed[0]
