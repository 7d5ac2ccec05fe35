"""How long the gate takes to start: `gate --version`, and `gate validate` on this repository.

    python -m benchmarks.startup [--repeat 10] [--against OTHER_CHECKOUT] [--write-bytecode]

Each command runs in a fresh process, the three interleaved round by round, so
a neighbour's load falls on all of them alike. The figures are the best and
the median wall time of --repeat runs, and the median CPU time (user + system)
of the process, which a loaded machine moves much less than wall time. A
pre-commit hook runs `gate validate` on every commit: its target is 0.3 s.
--against also times `python -m gate validate` with the package of another
checkout (an older commit, say) first on the path, in the same rounds.

Python compiles a module whose bytecode is not cached each time it imports it:
about 0.15 s for the gate's own modules in a checkout run with
PYTHONDONTWRITEBYTECODE=1 and no `__pycache__`, which an installed package never
pays (pip compiles it). The figures say which it was; --write-bytecode first
runs each command once without PYTHONDONTWRITEBYTECODE, so that every checkout
starts from cached bytecode, as an installed gate does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

LIMIT_S = 0.3
ROOT = Path(__file__).resolve().parent.parent


def gate_command() -> str:
    """The console script installed beside this interpreter."""
    script = Path(sys.executable).parent / "gate"
    if not script.exists():
        raise SystemExit(f"no gate script at {script}: install the package first")
    return str(script)


def cached_modules(package: Path) -> str:
    """`76 of 155`: how many of a package's modules have cached bytecode."""
    sources = sorted(package.rglob("*.py"))
    tag = sys.implementation.cache_tag
    cached = 0
    for path in sources:
        compiled = path.parent / "__pycache__" / f"{path.stem}.{tag}.pyc"
        # Bytecode older than its source is compiled again, as if there were none.
        cached += compiled.exists() and compiled.stat().st_mtime >= path.stat().st_mtime
    return f"{cached} of {len(sources)}"


def once(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, exit code) of one run."""
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - started
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu, done.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--against", type=Path, help="another checkout to time beside this one")
    parser.add_argument(
        "--write-bytecode",
        action="store_true",
        help="run each command once first with bytecode written, as an installed package has it",
    )
    args = parser.parse_args()
    gate = gate_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "gate --version": [gate, "--version"],
        "gate validate": [gate, "validate"],
    }
    envs: dict[str, dict[str, str] | None] = dict.fromkeys(commands)
    if args.against is not None:
        # The other checkout's package first on the path, and not this one's editable
        # install, whose finder would otherwise win over any path.
        probe = (
            "import sys; sys.meta_path[:] = [f for f in sys.meta_path "
            "if 'editable' not in repr(f)]; "
            f"sys.path.insert(0, {str(args.against.resolve())!r}); "
            "sys.argv = ['gate', 'validate']; from gate.cli import main; main()"
        )
        commands["other validate"] = [sys.executable, "-c", probe]
    if args.write_bytecode:
        writing = {
            key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"
        }
        for argv in commands.values():
            once(argv, writing)
    packages = {"this checkout": ROOT / "gate"}
    if args.against is not None:
        packages["the other"] = args.against.resolve() / "gate"
    print(
        f"PYTHONDONTWRITEBYTECODE={os.environ.get('PYTHONDONTWRITEBYTECODE', '')!s}; modules with "
        "cached bytecode: "
        + ", ".join(f"{cached_modules(package)} in {name}" for name, package in packages.items())
    )
    load_before = os.getloadavg()
    runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, argv in commands.items():
            runs[name].append(once(argv, envs.get(name)))
    medians = {}
    for name, results in runs.items():
        walls = [wall for wall, _, _ in results]
        cpus = [cpu for _, cpu, _ in results]
        medians[name] = (statistics.median(walls), statistics.median(cpus))
        print(
            f"{name:<16} wall best {min(walls):.3f} s  median {medians[name][0]:.3f} s  "
            f"CPU median {medians[name][1]:.3f} s  (exit {results[-1][2]})"
        )
    python = medians["python -c pass"]
    print("ratios:")
    for name in ("gate --version", "gate validate"):
        wall, cpu = medians[name]
        verdict = "ok" if wall < LIMIT_S else "MISSED"
        print(f"  {name} median {wall:.3f} s (target < {LIMIT_S} s) {verdict}")
        print(f"  {name} / bare python: wall {wall / python[0]:.2f}x, CPU {cpu / python[1]:.2f}x")
    if "other validate" in medians:
        other, this = medians["other validate"], medians["gate validate"]
        print(
            f"  gate validate / other checkout's: wall {this[0] / other[0]:.2f}x, "
            f"CPU {this[1] / other[1]:.2f}x"
        )
    loads = [
        " / ".join(f"{load:.2f}" for load in loads) for loads in (load_before, os.getloadavg())
    ]
    print(f"load average (1, 5, 15 min): {loads[0]} before, {loads[1]} after")


if __name__ == "__main__":
    main()
