"""Every planned item is passed, failed or errored, in every report; when not, the exit is 3."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import orjson
from aiohttp import web
from click.testing import CliRunner

from gate.cli import cli
from gate.corpus import CorpusItem
from gate.project import load_project
from gate.reports.console import render
from gate.reports.json_report import report_to_json
from gate.runner import build_target, run_suite
from gate.smoke.bake import Bake, Outputs
from gate.smoke.settings import Options, resolve
from gate.status import ExitCode
from gate.targets import Answer, Target
from tests.bakes import SmokeProject, Steer
from tests.conftest import ACTION_ITEM, FIELD_CHECK, ProjectFactory, write_jsonl

SHAPE_CHECK = f"""\
id: response-shape
kind: json_schema
action_item: {ACTION_ITEM}
suites: [release]
corpora: [{{corpus}}]
params:
  schema: {{{{type: object, required: [english, spanish]}}}}
"""


def _holds(report: dict[str, Any]) -> None:
    """The report says the accounting holds, and every tally in it shows it."""
    tallies = [check["tally"] for check in report["checks"] if "tally" in check]
    tallies += [
        entry["tally"]
        for record in report.get("rounds", ())
        for entry in record["checks"]
        if "tally" in entry
    ]
    assert tallies
    for tally in tallies:
        assert tally["passed"] + tally["failed"] + tally["errored"] == tally["total"], tally
        assert tally["accounted"] is True
    assert report["accounting"]["holds"] is True
    assert report["accounting"]["broken"] == []


def _run(*args: str) -> int:
    return CliRunner().invoke(cli, list(args)).exit_code


def test_a_recorded_run_with_missing_answers(project: ProjectFactory, chdir: Any) -> None:
    project.gloss_run(total=10, empty=3)
    recorded = (project.root / "recorded.jsonl").read_text().splitlines()
    (project.root / "recorded.jsonl").write_text("\n".join(recorded[:8]) + "\n")  # two missing
    project.write("checks/shape.yaml", SHAPE_CHECK.format(corpus="regression"))
    chdir(project.root)
    # 3 blank glosses of 10 break the limit of 0 whatever the 2 unanswered items were.
    assert _run("run", "--report-json", "r.json") == ExitCode.BLOCKED
    report = orjson.loads((project.root / "r.json").read_bytes())
    _holds(report)
    assert report["accounting"] == {"holds": True, "checks": 2, "items": 20, "broken": []}
    assert report["checks"][0]["tally"]["causes"] == {"missing": 2}
    gloss = next(c for c in report["checks"] if c["id"] == "spanish-gloss-nonempty")
    assert gloss["message"] == (
        "3/10 with 'spanish' missing or blank (30.00%), above 2.00%, even counting the "
        "2 errored items (missing 2) as passed"
    )


def test_an_http_run_through_every_fault(serve: Any, http_project: Any, chdir: Any) -> None:
    async def faulty(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        number = int(body["id"].split("-")[1])
        if number % 5 == 1:
            return web.Response(status=503, text="overloaded")
        if number % 5 == 2:
            return web.Response(text="<html>not json</html>", content_type="text/html")
        if number % 5 == 3:
            await asyncio.sleep(0.5)  # past the 0.2 s timeout
        if number % 5 == 4:
            return web.json_response({"english": "x", "spanish": ""})
        return web.json_response({"english": "x", "spanish": "y"})

    server = serve(faulty)
    target = {"type": "http", "url": server.url, "timeout_s": 0.2, "retry": {"attempts": 1}}
    config = http_project(target, items=10, checks=[FIELD_CHECK])
    chdir(config.parent)
    assert _run("run", "--report-json", "r.json") == ExitCode.BLOCKED
    report = orjson.loads((config.parent / "r.json").read_bytes())
    _holds(report)
    tally = report["checks"][0]["tally"]
    # The HTML pages are the service's broken answers (failed); 503s and timeouts
    # may be the network's (errored): 4 failures in 10 decide it either way.
    assert (tally["passed"], tally["failed"], tally["errored"]) == (2, 4, 4)
    assert tally["causes"] == {"http_5xx": 2, "timeout": 2}
    assert tally["failed_causes"] == {"not_json": 2}


def test_shards_and_their_merge(project: ProjectFactory, chdir: Any) -> None:
    project.gloss_run(total=30, empty=0)
    chdir(project.root)
    paths = [f"shard-{k}.json" for k in (1, 2, 3)]
    for k, path in enumerate(paths, 1):
        assert _run("run", "--shard", f"{k}/3", "--report-json", path) == ExitCode.OK
    assert _run("merge", *paths, "--report-json", "merged.json") == ExitCode.OK
    items = []
    for path in [*paths, "merged.json"]:
        report = orjson.loads((project.root / path).read_bytes())
        _holds(report)
        items.append(report["accounting"]["items"])
    assert sum(items[:3]) == items[3] == 30


def test_smoke_rounds_add_up(smoke: SmokeProject, tmp_path: Path) -> None:
    path = tmp_path / "bake.json"
    steer = Steer(smoke.tutor, {2: "503"})
    smoke.bake(steer, Outputs(report=path), rounds=3)
    report = orjson.loads(path.read_bytes())
    _holds(report)
    gloss = next(c for c in report["checks"] if c["id"] == "spanish-gloss-nonempty")
    assert gloss["tally"]["total"] == sum(
        entry["tally"]["total"]
        for record in report["rounds"]
        for entry in record["checks"]
        if entry["check"] == "spanish-gloss-nonempty"
    )


class Lossy(Target):
    """Another target, except that the answer to one item never arrives."""

    name = "lossy"
    settings_schema: ClassVar[Mapping[str, Any]] = {}

    def __init__(self, inner: Target, lose: str) -> None:
        super().__init__(inner.settings, inner.env)
        self.inner, self.lose = inner, lose

    async def __aenter__(self) -> Lossy:
        await self.inner.__aenter__()
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.inner.__aexit__(*exc_info)

    def describe(self) -> dict[str, Any]:
        return self.inner.describe()

    async def answers(
        self, items: Iterable[CorpusItem]
    ) -> AsyncIterator[tuple[CorpusItem, Answer]]:
        async for item, answer in self.inner.answers(items):
            if item.id != self.lose:
                yield item, answer


def test_a_lost_answer_makes_the_run_unjudged_even_beside_a_failure(
    project: ProjectFactory,
) -> None:
    project.gloss_run(total=10, empty=3)  # fails on its own corpus, fully accounted
    others = project.corpus("other", 4, prefix="ot")
    recorded = project.root / "recorded.jsonl"
    write_jsonl(
        recorded,
        [
            *(orjson.loads(line) for line in recorded.read_bytes().splitlines()),
            *({"id": ident, "response": {"english": "a", "spanish": "b"}} for ident in others),
        ],
    )
    project.write("checks/shape.yaml", SHAPE_CHECK.format(corpus="other"))
    loaded = load_project(project.config)
    run = run_suite(loaded, "release", target=Lossy(build_target(loaded), lose="ot-0002"))
    assert run.exit_code == ExitCode.UNJUDGED  # not BLOCKED: nothing of this run can be trusted
    report = report_to_json(run)
    assert report["accounting"] == {
        "holds": False,
        "checks": 2,
        "items": 14,
        "broken": [{"check": "response-shape", "planned": 4, "accounted": 3}],
    }
    shape = next(check for check in report["checks"] if check["id"] == "response-shape")
    assert shape["message"] == "4 items planned but 3 accounted for: answers were lost"
    console = io.StringIO()
    render(run, console)
    assert (
        "accounting broken: response-shape planned 4 items but accounted for 3; "
        "no verdict of this run can be trusted\n"
        "UNJUDGED: a blocking check could not be judged (1 fail, 1 error) in"
    ) in console.getvalue()


def test_a_merge_whose_shard_lost_an_item_is_unjudged(project: ProjectFactory, chdir: Any) -> None:
    project.gloss_run(total=20, empty=5)
    chdir(project.root)
    for k in (1, 2):
        _run("run", "--shard", f"{k}/2", "--report-json", f"s{k}.json")
    shard = project.root / "s2.json"
    data = orjson.loads(shard.read_bytes())
    data["checks"][0]["tally"]["passed"] -= 1  # a report that lost an item on its way
    shard.write_bytes(orjson.dumps(data))
    result = CliRunner().invoke(cli, ["merge", "s1.json", "s2.json", "--report-json", "m.json"])
    assert result.exit_code == ExitCode.UNJUDGED
    assert "accounting broken: spanish-gloss-nonempty planned 20 items but accounted for 19" in (
        result.output
    )
    report = orjson.loads((project.root / "m.json").read_bytes())
    assert report["accounting"]["holds"] is False
    assert report["checks"][0]["message"] == (
        "20 items planned but 19 accounted for: answers were lost"
    )


def test_a_bake_that_lost_an_answer_is_inconclusive(smoke: SmokeProject, tmp_path: Path) -> None:
    project = load_project(smoke.config)
    settings = resolve(project, Options(rounds=2))
    target = Lossy(build_target(project), lose="sm-0003")
    run = Bake(project, settings, target, Outputs(report=tmp_path / "b.json")).run()
    assert run.exit_code == ExitCode.UNJUDGED
    report = orjson.loads((tmp_path / "b.json").read_bytes())
    assert report["accounting"]["holds"] is False
    assert report["bake"]["outcome"] == "inconclusive"
    assert {entry["check"] for entry in report["accounting"]["broken"]} == {
        "spanish-gloss-nonempty",
        "response-shape",
    }
