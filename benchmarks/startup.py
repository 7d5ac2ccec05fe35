"""How long the gate takes to start: `gate --version`, and `gate validate` on this repository.

    python -m benchmarks.startup [--repeat 10]

Each command runs in a fresh process; the figures are the best and the median
wall time of --repeat runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

VERSION_LIMIT_S = 0.3
ROOT = Path(__file__).resolve().parent.parent


def gate_command() -> str:
    """The console script installed beside this interpreter."""
    script = Path(sys.executable).parent / "gate"
    if not script.exists():
        raise SystemExit(f"no gate script at {script}: install the package first")
    return str(script)


def timed(argv: list[str], repeat: int) -> tuple[float, float, int]:
    """(best seconds, median seconds, exit code of the last run)."""
    times: list[float] = []
    code = 0
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(argv, cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - started)
        code = done.returncode
    return min(times), statistics.median(times), code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    gate = gate_command()
    python = timed([sys.executable, "-c", "pass"], args.repeat)
    version = timed([gate, "--version"], args.repeat)
    validate = timed([gate, "validate"], args.repeat)
    print(f"{'python -c pass':<16} best {python[0]:.3f} s  median {python[1]:.3f} s")
    print(f"{'gate --version':<16} best {version[0]:.3f} s  median {version[1]:.3f} s")
    print(
        f"{'gate validate':<16} best {validate[0]:.3f} s  median {validate[1]:.3f} s"
        f"  (exit {validate[2]})"
    )
    print("ratios:")
    verdict = "ok" if version[1] < VERSION_LIMIT_S else "MISSED"
    print(f"  gate --version median {version[1]:.3f} s (target < {VERSION_LIMIT_S} s) {verdict}")
    print(f"  gate --version / bare python = {version[1] / python[1]:.2f}x")


if __name__ == "__main__":
    main()
