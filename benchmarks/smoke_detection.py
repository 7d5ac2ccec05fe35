"""How soon a bake signals the incident's regression, against the bound it prints.

    python -m benchmarks.smoke_detection [--repeat 5]

The reference tutor starts at v2.3.4 (budget 32); `gate smoke` bakes it with a
0.4 s interval after a 0.4 s initial delay, and after round 2 the tutor is
switched to v2.4.0 (budget 16) on disk. The figure is the time from that
switch to the `limit_crossed` event, set against the printed worst-case bound
(0.4 + 0.4 x 2 = 1.2 s); the tests hold it only to 3x the bound, since rounds
start late on a loaded machine.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

from gate.targets.launch import free_port

ROOT = Path(__file__).resolve().parent.parent


def _wait(ready: object, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():  # type: ignore[operator]
                return
        except httpx.TransportError:
            pass
        time.sleep(0.01)
    raise SystemExit("timed out waiting")


def one_bake(folder: Path) -> tuple[float, float]:
    """(seconds from the switch to the crossed limit, the printed bound)."""
    manifest = folder / "live.yaml"
    shutil.copy(ROOT / "releases/v2.3.4.yaml", manifest)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "examples.tutor", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--manifest", str(manifest)]
    tutor = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(lambda: httpx.get(f"{url}/healthz", timeout=1).status_code == 200)
        events = folder / "events.jsonl"
        smoke = [sys.executable, "-m", "gate", "smoke", "--target-url", url, "--rounds", "40"]
        smoke += ["--interval", "0.4", "--initial-delay", "0.4", "--seed", "7"]
        bake = subprocess.Popen(
            [*smoke, "--event-log", str(events)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        _wait(lambda: events.exists() and events.read_text().count('"event":"round"') >= 2)
        deployed = time.time()
        shutil.copy(ROOT / "releases/v2.4.0.yaml", manifest)
        stdout, _ = bake.communicate(timeout=120)
        printed = re.search(r"worst-case detection ([0-9.]+) s after the deploy", stdout)
        if printed is None or bake.returncode != 1:
            raise SystemExit(f"the bake did not block (exit {bake.returncode}):\n{stdout}")
        crossed = next(
            json.loads(line)
            for line in events.read_text().splitlines()
            if '"event":"limit_crossed"' in line
        )
        signal = datetime.fromisoformat(crossed["ts"].replace("Z", "+00:00")).timestamp()
        return signal - deployed, float(printed[1])
    finally:
        tutor.terminate()
        tutor.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    delays: list[float] = []
    bound = 0.0
    for run in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            delay, bound = one_bake(Path(folder))
        delays.append(delay)
        print(f"run {run + 1}: signalled {delay:.3f} s after the switch (bound {bound:.1f} s)")
    print("ratios:")
    print(f"  best   {min(delays):.3f} s = {min(delays) / bound:.2f}x the bound")
    print(f"  median {statistics.median(delays):.3f} s = {statistics.median(delays) / bound:.2f}x")
    print(f"  worst  {max(delays):.3f} s = {max(delays) / bound:.2f}x")


if __name__ == "__main__":
    main()
