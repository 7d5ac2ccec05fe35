"""A reader that stops early (`gate run | head`) costs only the console lines it did not read."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from gate.status import ExitCode
from tests.conftest import REPO


def test_a_closed_pipe_leaves_the_verdict_and_the_reports(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "gate", "run", "--manifest", "releases/v2.4.0.yaml"]
    process = subprocess.Popen(
        [*command, "--report-json", str(report)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # the reader leaves, as `head -1` does
    errors = process.stderr.read()
    process.stderr.close()
    assert process.wait(timeout=120) == ExitCode.BLOCKED, errors
    assert first.startswith("FAIL     decode-budget-pin")
    assert "Traceback" not in errors and "internal error" not in errors
    assert report.exists()
