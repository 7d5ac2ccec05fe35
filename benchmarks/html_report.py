"""How large the HTML report of a big run is, and how fast it opens in headless Chromium.

A project of N recorded answers (2% with an empty gloss, every answer timed)
is judged by `field_nonempty` and `json_schema` through the recorded target,
with the report's item collector watching, and the HTML report is written.
Against a run of 1,000 items in the same process: the file's size, the time
to write it, and its first contentful paint and load in headless Chromium (the
system's, driven by Playwright). Also: what watching the run costs (the judge
with and without the collector) and the collector's memory per item.

    python -m benchmarks.html_report [--items 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

import orjson

from benchmarks.chromium import chromium
from benchmarks.recorded_throughput import make_project

SIZE_BUDGET_MB = 25.0
PAINT_BUDGET_S = 3.0
SMALL = 1_000


def timed_project(root: Path, count: int) -> Path:
    """The recorded-throughput project, each recorded answer given a timing."""
    config = make_project(root, count)
    recorded = root / "recorded" / "responses.jsonl"
    lines = recorded.read_bytes().splitlines()
    with recorded.open("wb") as out:
        for n, line in enumerate(lines):
            value = orjson.loads(line)
            value["timing"] = {"first_byte_s": 0.05 + n % 7 / 100, "total_s": 0.2 + n % 11 / 50}
            out.write(orjson.dumps(value) + b"\n")
    return config


def judge(config: Path, *, watch: bool) -> tuple[float, Any, Any]:
    """(seconds to judge, the run, its item collector or None)."""
    from gate.project import load_project
    from gate.reports.html.items import ItemCollector
    from gate.runner import build_target, run_suite

    project = load_project(config)
    target = build_target(project)
    items = ItemCollector(target.redact) if watch else None
    started = time.perf_counter()
    run = run_suite(project, "release", target=target, observer=items)
    return time.perf_counter() - started, run, items


def write(run: Any, items: Any, path: Path) -> float:
    from gate.reports.html import write_html_report
    from gate.reports.json_report import report_to_json

    started = time.perf_counter()
    write_html_report(report_to_json(run), path, items=items)
    return time.perf_counter() - started


def collector_bytes(config: Path) -> int:
    """Bytes the collector holds once the run is over: traced memory with it, less without."""
    tracemalloc.start()
    _, run, items = judge(config, watch=True)
    gc.collect()
    holding = tracemalloc.get_traced_memory()[0]
    del items
    gc.collect()
    held = holding - tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del run
    return held


def open_in_chromium(paths: list[Path], repeat: int) -> dict[Path, tuple[float, float]]:
    """Per file, the best (first contentful paint, load event) in seconds over `repeat` opens."""
    best: dict[Path, tuple[float, float]] = {}
    with chromium() as browser:
        for _ in range(repeat):
            for path in paths:  # interleaved, so a neighbour's load falls on both alike
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(path.resolve().as_uri(), wait_until="load")
                paint, load = page.evaluate(
                    "[performance.getEntriesByName('first-contentful-paint')[0].startTime,"
                    " performance.getEntriesByType('navigation')[0].loadEventEnd]"
                )
                rows = page.inner_text("#row-count")
                assert rows.endswith("rows"), rows
                page.close()
                figures = (paint / 1000, load / 1000)
                best[path] = min(best.get(path, figures), figures)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        pages: dict[int, Path] = {}
        written: dict[int, float] = {}
        judged: dict[tuple[int, bool], float] = {}
        for count in (SMALL, args.items):
            config = timed_project(root / str(count), count)
            for _ in range(args.repeat):
                for watch in (False, True):
                    seconds, run, items = judge(config, watch=watch)
                    key = (count, watch)
                    judged[key] = min(judged.get(key, seconds), seconds)
            pages[count] = root / f"report-{count}.html"
            written[count] = write(run, items, pages[count])
        held = collector_bytes(root / str(args.items) / "gate.yaml")
        opened = open_in_chromium(list(pages.values()), args.repeat)
        sizes = {count: path.stat().st_size / 1e6 for count, path in pages.items()}
    print(f"HTML report of {args.items:,} recorded answers (2 checks), beside {SMALL:,}:")
    for count, path in pages.items():
        size = sizes[count]
        paint, load = opened[path]
        print(
            f"  {count:>9,} items: {size:6.2f} MB, written in {written[count]:.2f} s, "
            f"first paint {paint:.3f} s, load {load:.3f} s"
        )
    big, small = args.items, SMALL
    print(
        f"  judge without / with the item collector: {judged[(big, False)]:.2f} s / "
        f"{judged[(big, True)]:.2f} s"
    )
    print(f"  the collector holds {held / 1e6:.1f} MB, {held / big:.0f} bytes an item")
    size = sizes[big]
    paint = opened[pages[big]][0]
    print("ratios:")
    print(
        f"  size {size:.2f} MB (target < {SIZE_BUDGET_MB:g} MB) "
        f"{'ok' if size < SIZE_BUDGET_MB else 'MISSED'}; first paint {paint:.3f} s "
        f"(target < {PAINT_BUDGET_S:g} s) {'ok' if paint < PAINT_BUDGET_S else 'MISSED'}"
    )
    print(
        f"  first paint {big:,} / {small:,} items = {paint / opened[pages[small]][0]:.2f}x; "
        f"judge with / without the collector = "
        f"{judged[(big, True)] / judged[(big, False)]:.2f}x"
    )


if __name__ == "__main__":
    main()
