"""Repeats: every item asked N times as N requests, every answer counted, flaky items named."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from click.testing import CliRunner

from gate.checks import CheckSpec
from gate.cli import cli
from gate.corpus import CorpusItem
from gate.repeats import flaky, flaky_text, repeated, same_request_warning, with_repeats
from gate.status import ExitCode
from gate.tally import Tally
from tests.conftest import FIELD_CHECK, REPO, Loopback

ITEMS = [CorpusItem(f"rg-{n}", "p", None, (), None, "regression", n) for n in (1, 2)]


def _check(repeats: int | None) -> CheckSpec:
    return CheckSpec(
        "gloss", "field_nonempty", "X#AI-1", "", ("release",), True, ("regression",), None, 0.0,
        {}, Path("c.yaml"), 1, 1, repeats=repeats,
    )  # fmt: skip


def test_each_item_is_asked_in_a_row_once_per_repeat() -> None:
    blocks = list(repeated([ITEMS], 3))
    assert [(item.id, item.repeat) for item in blocks[0]] == [
        ("rg-1", 0), ("rg-1", 1), ("rg-1", 2), ("rg-2", 0), ("rg-2", 1), ("rg-2", 2),
    ]  # fmt: skip
    assert list(repeated([ITEMS], 1)) == [ITEMS]


def test_a_check_file_that_sets_repeats_wins_over_the_run() -> None:
    checks = with_repeats([_check(None), _check(5)], 3)
    assert [check.repeats for check in checks] == [3, 5]
    assert [check.repeats for check in with_repeats([_check(None)], None)] == [1]


def test_an_item_is_flaky_when_some_answers_pass_and_some_fail() -> None:
    tally = Tally(items={("c", "a"): [3, 0, 0], ("c", "b"): [2, 1, 0], ("c", "c"): [0, 2, 1]})
    assert flaky(tally) == [{"corpus": "c", "item": "b", "passed": 2, "failed": 1, "errored": 0}]
    assert flaky_text(tally) == "1 flaky item (some answers passed, some failed): b 2/3"
    assert flaky_text(Tally(items={("c", "a"): [3, 0, 0]})) == "no flaky item among 1"


def test_item_counts_add_up_across_shards_and_rounds_and_survive_the_report() -> None:
    first = Tally(total=6, passed=5, failed=1, items={("c", "a"): [2, 1, 0], ("c", "b"): [3, 0, 0]})
    second = Tally(total=3, passed=2, failed=1, items={("c", "a"): [2, 1, 0]})
    merged = first.merge(second)
    assert merged.items == {("c", "a"): [4, 2, 0], ("c", "b"): [3, 0, 0]}
    assert first.items[("c", "a")] == [2, 1, 0]  # merging copies, never adds into a part
    data = merged.to_json()
    assert data["items"] == {"c": {"a": [4, 2, 0], "b": [3, 0, 0]}}
    assert Tally.from_json(data).items == merged.items
    assert "items" not in Tally(total=1, passed=1).to_json()


def test_repeats_without_repeat_in_the_body_warn_that_a_cache_may_answer_once() -> None:
    target = {"type": "http", "url": "http://127.0.0.1:1"}
    assert same_request_warning([_check(3)], target) == (
        "gloss ask each item more than once, but target.body has no {repeat}: every ask sends "
        "the same request, which a caching service answers once; add "
        '"repeat": "{repeat}" (or a seed) to the body'
    )
    with_index = {**target, "body": {"id": "{id}", "prompt": "{prompt}", "seed": "{repeat}"}}
    assert same_request_warning([_check(3)], with_index) is None
    assert same_request_warning([_check(1)], target) is None
    assert same_request_warning([_check(3)], {"type": "recorded", "path": "r.jsonl"}) is None


def _report(path: Path) -> dict[str, Any]:
    return {check["id"]: check for check in json.loads(path.read_text())["checks"]}


def test_the_tutor_asked_three_times_counts_every_answer(monkeypatch: Any, tmp_path: Path) -> None:
    monkeypatch.chdir(REPO)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(
        cli,
        [
            "run",
            "--repeats",
            "3",
            "--manifest",
            "releases/v2.3.4.yaml",
            "--report-json",
            str(report),
        ],
    )
    assert result.exit_code == ExitCode.OK, result.output
    gloss = _report(report)["spanish-gloss-nonempty"]
    tally = gloss["tally"]
    assert (tally["total"], tally["passed"], tally["failed"], tally["errored"]) == (
        3 * 338, 3 * 338, 0, 0,
    )  # fmt: skip
    assert gloss["repeats"] == 3
    assert gloss["details"]["repeats"]["items_by_passed_answers"] == {"3": 338}
    assert gloss["details"]["repeats"]["flaky_count"] == 0
    accounting = json.loads(report.read_text())["accounting"]
    assert accounting["holds"] is True
    assert "asked 3 times each: no flaky item among 338" in result.output


def _blank_one_in_three(seen: list[tuple[str, int, bool]]) -> Callable[..., Any]:
    rng = random.Random(20260814)

    async def handler(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        blank = rng.random() < 1 / 3
        seen.append((str(body["id"]), int(body["repeat"]), blank))
        return web.json_response({"english": "Fine.", "spanish": "" if blank else "Bien."})

    return handler


def test_a_service_that_blanks_a_gloss_at_random_shows_its_flaky_items(
    serve: Callable[..., Loopback], http_project: Callable[..., Path], monkeypatch: Any
) -> None:
    seen: list[tuple[str, int, bool]] = []
    server = serve(_blank_one_in_three(seen))
    body = {"id": "{id}", "prompt": "{prompt}", "repeat": "{repeat}"}
    check = {**FIELD_CHECK, "repeats": 3, "params": {"field": "spanish", "max_failure_rate": 1}}
    config = http_project(
        {"type": "http", "url": server.url, "body": body}, items=40, checks=[check]
    )
    monkeypatch.chdir(config.parent)
    report = config.parent / "report.json"
    result = CliRunner().invoke(cli, ["run", "--report-json", str(report)])
    assert result.exit_code == ExitCode.OK, result.output
    # Three distinct requests per item, repeat 0, 1 and 2, and every answer counted.
    assert sorted((ident, ask) for ident, ask, _ in seen) == sorted(
        (f"rg-{n}", ask) for n in range(1, 41) for ask in range(3)
    )
    blanks: dict[str, list[bool]] = {}
    for ident, _ask, blank in seen:
        blanks.setdefault(ident, []).append(blank)
    expected = sorted(ident for ident, marks in blanks.items() if any(marks) and not all(marks))
    gloss = _report(report)["gloss"]
    tally = gloss["tally"]
    assert (tally["total"], tally["failed"]) == (120, sum(blank for *_, blank in seen))
    assert tally["passed"] + tally["failed"] + tally["errored"] == tally["total"]
    repeats = gloss["details"]["repeats"]
    # The report names the first 20 in id order and counts them all; the tally has each item.
    assert [entry["item"] for entry in repeats["flaky"]] == expected[:20]
    assert repeats["flaky_count"] == len(expected) > 20
    by_item = tally["items"]["regression"]
    assert sorted(ident for ident, (passed, failed, _) in by_item.items() if passed and failed) == (
        expected
    )
    assert f"asked 3 times each: {len(expected)} flaky items" in result.output


def test_a_recorded_repeated_run_replays_every_ask(
    serve: Callable[..., Loopback], http_project: Callable[..., Path], monkeypatch: Any
) -> None:
    async def handler(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        blank = (int(str(body["id"]).removeprefix("rg-")) + int(body["repeat"])) % 3 == 0
        return web.json_response({"english": "Fine.", "spanish": "" if blank else "Bien."})

    server = serve(handler)
    body = {"id": "{id}", "prompt": "{prompt}", "repeat": "{repeat}"}
    check = {**FIELD_CHECK, "params": {"field": "spanish", "max_failure_rate": 1}}
    config = http_project(
        {"type": "http", "url": server.url, "body": body}, items=6, checks=[check]
    )
    monkeypatch.chdir(config.parent)
    runner = CliRunner()
    live = runner.invoke(
        cli, ["run", "--repeats", "3", "--record", "answers.jsonl", "--report-json", "live.json"]
    )
    assert live.exit_code == ExitCode.OK, live.output
    lines = [json.loads(line) for line in Path("answers.jsonl").read_text().splitlines()]
    assert [(line["id"], line.get("repeat", 0)) for line in lines] == [
        (f"rg-{n}", ask) for n in range(1, 7) for ask in range(3)
    ]
    replay = runner.invoke(
        cli, ["run", "--repeats", "3", "--replay", "answers.jsonl", "--report-json", "replay.json"]
    )
    assert replay.exit_code == ExitCode.OK, replay.output
    tallies = [_report(Path(name))["gloss"]["tally"] for name in ("live.json", "replay.json")]
    assert tallies[0]["items"] == tallies[1]["items"]
    assert tallies[1]["items"]["regression"]["rg-1"] == [2, 1, 0]  # repeat 2: (1 + 2) % 3 == 0
