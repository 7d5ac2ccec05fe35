"""Judging a block at a time: the same tallies and samples whatever the block size."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gate.project import load_project
from gate.results import RunResult
from gate.runner import build_target, planned_items, run_suite, run_suite_async
from gate.shard import parse_shard
from tests.conftest import Loopback, ProjectFactory, write_jsonl

SHAPE_CHECK = """\
id: response-shape
kind: json_schema
action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-4
suites: [release]
corpora: [regression]
params:
  max_failure_rate: 0.5
  schema: {type: object, required: [english, spanish]}
"""


def _tallies(project: ProjectFactory) -> dict[str, Any]:
    loaded = load_project(project.config)
    result = run_suite(loaded, "release", target=build_target(loaded))
    return {
        check.check.id: (
            check.status,
            check.message,
            check.tally.to_json() if check.tally else None,
            [sample.item for sample in check.tally.samples] if check.tally else None,
        )
        for check in result.results
    }


def test_blocks_of_any_size_give_the_same_tallies(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.gloss_run(total=300, empty=9)
    project.write("checks/response-shape.yaml", SHAPE_CHECK)
    whole = _tallies(project)
    monkeypatch.setattr("gate.jsonl.BLOCK_BYTES", 100)
    assert _tallies(project) == whole
    gloss = whole["spanish-gloss-nonempty"][2]
    assert (gloss["passed"], gloss["failed"], gloss["errored"]) == (291, 9, 0)
    assert whole["spanish-gloss-nonempty"][3][:3] == ["rg-0000", "rg-0001", "rg-0002"]


def test_the_collector_is_set_back_after_a_run(project: ProjectFactory) -> None:
    project.gloss_run(total=3, empty=0)
    before = gc.get_threshold()
    _tallies(project)
    assert gc.get_threshold() == before


def test_overlapping_runs_set_the_collector_back_and_count_alike(
    http_project: Callable[..., Path], serve: Callable[..., Loopback]
) -> None:
    # Over real sockets, so the two runs take turns on the loop (as in `gate prove`).
    server = serve()
    loaded = load_project(http_project({"type": "http", "url": server.url}, items=200))
    before = gc.get_threshold()

    async def both() -> list[RunResult]:
        runs = [run_suite_async(loaded, "release", target=build_target(loaded)) for _ in "ab"]
        return list(await asyncio.gather(*runs))

    first, second = asyncio.run(both())
    assert gc.get_threshold() == before
    tallies = [run.results[0].tally for run in (first, second)]
    assert [(t.passed, t.failed, t.errored) for t in tallies if t] == [(200, 0, 0)] * 2
    assert server.hits.total() == 400


SELECTIVE_CHECK = """\
id: portal-shape
kind: json_schema
action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-4
suites: [release]
corpora: [regression]
select: {source: portal}
params:
  schema: {type: object}
"""


def test_the_progress_total_is_what_a_run_asks_for(project: ProjectFactory) -> None:
    project.gloss_run(total=40, empty=0)
    loaded = load_project(project.config)
    shard = parse_shard("2/3")
    owned = sum(shard.owns(f"rg-{n:04d}") for n in range(40))
    assert planned_items(loaded, "release") == 40
    assert planned_items(loaded, "release", shard) == owned
    # A check that selects items counts only those it keeps: 10 of the 40 are from the portal.
    write_jsonl(
        project.root / "corpora/regression.jsonl",
        (
            {"id": f"rg-{n:04d}", "prompt": f"p{n}", "source": "portal" if n < 10 else "curated"}
            for n in range(40)
        ),
    )
    project.write("checks/spanish-gloss-nonempty.yaml", SELECTIVE_CHECK)
    assert planned_items(load_project(project.config), "release") == 10
