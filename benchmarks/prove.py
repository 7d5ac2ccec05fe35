"""What `gate prove` costs on this repository, against one release's run.

    python -m benchmarks.prove [--repeat 3]

Three contenders, interleaved round by round, each the best of --repeat:
a single release suite against v2.4.0 (the service launched at it, as `gate
run --manifest releases/v2.4.0.yaml` does, after loading), the whole proof one
release at a time (--jobs 1), and the whole proof as `gate prove` runs it.
CPU is the gate's own and its launched services' (children), per contender.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import time
from collections.abc import Callable
from pathlib import Path

from gate.manifest import load_manifest
from gate.project import load_project
from gate.proof.runs import jobs_allowed, prove
from gate.runner import build_target, run_suite
from gate.status import ExitCode

ROOT = Path(__file__).resolve().parent.parent


def _cpu() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def measured(work: Callable[[], object]) -> tuple[float, float, float]:
    """(wall seconds, the gate's CPU seconds, its children's CPU seconds) of one call."""
    own, children = _cpu()
    started = time.perf_counter()
    work()
    wall = time.perf_counter() - started
    own_after, children_after = _cpu()
    return wall, own_after - own, children_after - children


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    project = load_project(ROOT / "gate.yaml")
    incident = dataclasses.replace(project, manifest=load_manifest(ROOT / "releases/v2.4.0.yaml"))
    jobs = jobs_allowed(project, None)
    count = len(project.known_releases)

    def one_release() -> None:
        run = run_suite(incident, "release", target=build_target(incident))
        assert run.exit_code is ExitCode.BLOCKED

    def proof(jobs: int) -> Callable[[], None]:
        def run() -> None:
            assert prove(project, jobs=jobs).exit_code is ExitCode.OK

        return run

    contenders = {
        "one release (v2.4.0)": one_release,
        f"proof, {count} releases, 1 at a time": proof(1),
        f"proof, {count} releases, {jobs} at a time": proof(jobs),
    }
    best: dict[str, tuple[float, float, float]] = {}
    for _ in range(args.repeat):
        for name, work in contenders.items():
            figures = measured(work)
            if name not in best or figures[0] < best[name][0]:
                best[name] = figures
    for name, (wall, own, children) in best.items():
        print(
            f"{name:<34} wall {wall:6.2f} s  gate CPU {own:5.2f} s  services CPU {children:5.2f} s"
        )
    single, serial, parallel = (best[name][0] for name in contenders)
    print("ratios:")
    print(f"  proof / one release = {parallel / single:.2f}x for {count} releases")
    print(f"  one at a time / {jobs} at a time = {serial / parallel:.2f}x")


if __name__ == "__main__":
    main()
