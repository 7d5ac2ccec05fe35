"""The CPU time of judging recorded answers: the steadier figure on a shared, loaded machine.

The project of `recorded_throughput` (N answers, `field_nonempty` and
`json_schema`), judged three times; the best CPU time (`time.process_time`)
of the judge and of the bare parse loop. To compare two versions, run each
from its own copy, alternately, and compare the judge's figures:

    git archive main | tar -x -C /tmp/before
    (cd /tmp/before && PYTHONPATH=. ../path/to/.venv/bin/python -m benchmarks.judge_cpu)
    .venv/bin/python -m benchmarks.judge_cpu
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.recorded_throughput import bare_loop, make_project


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    import gate
    from gate.project import load_project
    from gate.runner import build_target, run_suite

    bare: list[float] = []
    judge: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = make_project(root, args.responses)
        for _ in range(args.repeat):
            started = time.process_time()
            bare_loop(root)
            bare.append(time.process_time() - started)
            project = load_project(config)
            started = time.process_time()
            run_suite(project, "release", target=build_target(project))
            judge.append(time.process_time() - started)
    print(f"{args.responses:,} recorded responses, the gate of {Path(gate.__file__).parent}:")
    print(f"  bare parse CPU {min(bare):.2f} s; judge CPU {min(judge):.2f} s")
    print("ratios:")
    print(f"  judge / bare parse, CPU = {min(judge) / min(bare):.2f}x")


if __name__ == "__main__":
    main()
