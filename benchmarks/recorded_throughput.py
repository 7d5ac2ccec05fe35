"""How fast the gate judges recorded responses, and whether its memory stays flat.

A project with N corpus items and N recorded responses (2% with an empty gloss)
is judged by two checks, `field_nonempty` and `json_schema`, through the
recorded target. Its time is compared with a bare loop that only parses the
same JSONL files line by line with orjson. Peak memory (max RSS) is measured in
fresh processes at 10,000 and at N responses.

    python -m benchmarks.recorded_throughput [--responses 1000000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
INCIDENT = "INC-2026-08-14-tutor-spanish-gloss-missing"  # a project's checks must name a real item
ACTION_ITEM = f"{INCIDENT}#AI-4"
TARGET_RATIO = 2.5
MEMORY_BUDGET_MB = 60.0
SMALL = 10_000


def make_project(root: Path, count: int) -> Path:
    """Corpus, recorded responses, and the two checks; returns gate.yaml."""
    for folder in ("checks", "corpora", "postmortems", "releases", "recorded"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    incident = ROOT / "postmortems" / f"{INCIDENT}.md"
    (root / "postmortems" / incident.name).write_text(incident.read_text(encoding="utf-8"))
    (root / "gate.yaml").write_text(
        "name: bench\ntarget:\n  type: recorded\n  path: recorded/responses.jsonl\n"
        "suites:\n  release: {}\n"
    )
    (root / "checks" / "gloss.yaml").write_text(
        "id: gloss\nkind: field_nonempty\naction_item: ACTION\nsuites: [release]\n"
        "corpora: [regression]\nparams: {field: spanish, max_failure_rate: 0.02}\n".replace(
            "ACTION", ACTION_ITEM
        )
    )
    (root / "checks" / "shape.yaml").write_text(
        "id: shape\nkind: json_schema\naction_item: ACTION\nsuites: [release]\n"
        "corpora: [regression]\nparams:\n  schema:\n    type: object\n"
        "    required: [english, spanish]\n    properties:\n"
        "      english: {type: string, minLength: 1}\n      spanish: {type: string}\n".replace(
            "ACTION", ACTION_ITEM
        )
    )
    with (
        (root / "corpora" / "regression.jsonl").open("wb") as corpus,
        (root / "recorded" / "responses.jsonl").open("wb") as recorded,
    ):
        for n in range(count):
            ident = f"rg-{n:07d}"
            corpus.write(
                orjson.dumps({"id": ident, "prompt": f"She go to school every day ({n})."}) + b"\n"
            )
            response = {
                "english": "She goes to school every day.",
                "spanish": "" if n % 50 == 0 else "Ella va a la escuela todos los días.",
            }
            recorded.write(orjson.dumps({"id": ident, "response": response}) + b"\n")
    return root / "gate.yaml"


def bare_loop(root: Path) -> int:
    """Parse the corpus and the responses line by line, and nothing else."""
    count = 0
    for name in ("corpora/regression.jsonl", "recorded/responses.jsonl"):
        with (root / name).open("rb") as handle:
            for line in handle:
                orjson.loads(line)
                count += 1
    return count // 2


def gate_run(config: Path) -> tuple[float, float, int]:
    """(seconds to load and validate, seconds to judge, items judged by each check)."""
    from gate.project import load_project
    from gate.runner import build_target, run_suite

    started = time.perf_counter()
    project = load_project(config)
    loaded = time.perf_counter()
    result = run_suite(project, "release", target=build_target(project))
    judged = time.perf_counter()
    counts = {check.tally.judged for check in result.results if check.tally is not None}
    assert len(counts) == 1 and result.exit_code == 0, [c.message for c in result.results]
    return loaded - started, judged - loaded, counts.pop()


def peak_rss_mb(count: int) -> float:
    """The peak RSS of a fresh process that judges `count` responses, as `gate run` does."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.recorded_throughput", "--child", str(count)],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def _high_water_mb() -> float:
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the parent.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(count: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = make_project(Path(folder), count)
        gate_run(config)
    print(f"{_high_water_mb():.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    count = args.responses
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        config = make_project(root, count)
        bare = min(_timed(lambda: bare_loop(root)) for _ in range(args.repeat))
        runs = [gate_run(config) for _ in range(args.repeat)]
        load = min(run[0] for run in runs)
        judge = min(run[1] for run in runs)
    print(f"{count:,} recorded responses, checks field_nonempty + json_schema:")
    print(f"  bare parse loop  {bare:7.2f} s  {count / bare:10,.0f} responses/s")
    print(f"  gate: validate   {load:7.2f} s  (reads the corpus once at load)")
    print(f"  gate: judge      {judge:7.2f} s  {count / judge:10,.0f} responses/s")
    print(f"  gate: in all     {load + judge:7.2f} s  {count / (load + judge):10,.0f} responses/s")
    small, large = peak_rss_mb(SMALL), peak_rss_mb(count)
    print(f"  peak RSS at {SMALL:,}: {small:.1f} MB; at {count:,}: {large:.1f} MB")
    ratio = judge / bare
    print("ratios:")
    print(
        f"  judge / bare parse = {ratio:.2f}x (target <= {TARGET_RATIO}x) "
        f"{'ok' if ratio <= TARGET_RATIO else 'MISSED'}; "
        f"validate + judge / bare parse = {(load + judge) / bare:.2f}x"
    )
    growth = large - small
    print(
        f"  peak memory growth {SMALL:,} -> {count:,} = {growth:.1f} MB "
        f"(target <= {MEMORY_BUDGET_MB:g} MB) {'ok' if growth <= MEMORY_BUDGET_MB else 'MISSED'}"
    )


def _timed(run: object) -> float:
    assert callable(run)
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
