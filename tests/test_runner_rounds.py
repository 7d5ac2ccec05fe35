"""judge_round: several rounds of a suite over one open target, with items of their own."""

from __future__ import annotations

import asyncio

from gate.corpus import CorpusItem
from gate.project import load_project
from gate.results import CheckResult
from gate.runner import build_target, judge_round
from gate.status import Status
from gate.targets import Answer
from gate.targets.blame import Blame
from tests.conftest import ProjectFactory
from tests.loopback import FakeTutor

SELECTIVE = """\
id: portal-gloss
kind: field_nonempty
action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-5
suites: [smoke]
corpora: [regression]
select: {source: portal}
params: {field: spanish}
"""


def _item(ident: str, source: str) -> CorpusItem:
    return CorpusItem(ident, f"prompt {ident}", None, (), source, "round", 1)


def _rounds(project: ProjectFactory, tutor: FakeTutor, modes: list[str]) -> list[list[CheckResult]]:
    project.write(
        "gate.yaml", f"target: {{type: http, url: '{tutor.url}'}}\nsuites: {{smoke: {{}}}}\n"
    )
    project.gloss_run(total=4, empty=0)
    project.write(
        "checks/spanish-gloss-nonempty.yaml",
        project.root.joinpath("checks/spanish-gloss-nonempty.yaml")
        .read_text()
        .replace("[release, smoke]", "[smoke]"),
    )
    project.write("checks/portal-gloss.yaml", SELECTIVE)
    loaded = load_project(project.config)
    target = build_target(loaded)
    items = [_item("a", "curated"), _item("b", "portal"), _item("c", "portal")]
    seen: list[Answer] = []

    class Only5xx(Blame):
        sees_every_answer = True

        def __call__(self, answer: Answer) -> bool:
            seen.append(answer)
            return answer.cause == "http_5xx"

    unanswered = Only5xx()

    async def bake() -> list[list[CheckResult]]:
        results = []
        async with target:
            for mode in modes:
                tutor.mode = mode
                results.append(
                    await judge_round(
                        loaded, loaded.checks, target, items=items, unanswered=unanswered
                    )
                )
        return results

    found = asyncio.run(bake())
    assert len(seen) == 3 * len(modes)  # every answer is shown, answered or not
    return found


def test_a_round_judges_its_own_items(project: ProjectFactory) -> None:
    with FakeTutor() as tutor:
        (first, second) = _rounds(project, tutor, ["ok", "empty"])
    portal, gloss = first
    assert portal.check.id == "portal-gloss"
    assert portal.tally is not None and portal.tally.total == 2  # its select still applies
    assert gloss.tally is not None and gloss.tally.total == 3  # not the regression corpus
    assert [r.status for r in first] == [Status.PASS, Status.PASS]
    assert [r.status for r in second] == [Status.FAIL, Status.FAIL]
    assert len(tutor.peers) <= 3  # one pool across the rounds


def test_the_caller_decides_an_unanswered_item_failed(project: ProjectFactory) -> None:
    with FakeTutor() as tutor:
        ((_portal, gloss),) = _rounds(project, tutor, ["503"])
    assert gloss.status is Status.FAIL
    assert gloss.tally is not None
    assert (gloss.tally.failed, gloss.tally.errored) == (3, 0)
    assert gloss.tally.failed_causes == {"http_5xx": 3}
    assert [sample.outcome for sample in gloss.tally.samples] == ["failed"] * 3
    assert all("HTTP 503" in sample.reason for sample in gloss.tally.samples)
    assert gloss.message == (
        "3/3 failed (100.00%): 3 with no usable answer (http_5xx 3); above 2.00%"
    )


def test_otherwise_an_unanswered_item_is_an_error(project: ProjectFactory) -> None:
    with FakeTutor() as tutor:
        ((_portal, gloss),) = _rounds(project, tutor, ["not_json"])
        url = tutor.url
    assert gloss.status is Status.ERROR
    assert gloss.tally is not None
    assert [sample.outcome for sample in gloss.tally.samples] == ["errored"] * 3
    assert gloss.message == (
        "zero items were judged: 3 errored items (not_json 3); the first, a: "
        f"{gloss.tally.samples[0].reason}"
    )
    assert gloss.tally.samples[0].reason == (
        f"POST {url}/v1/tutor: the body is not JSON: content-type text/html; charset=utf-8; "
        "it begins '<html>oops</html>'"
    )
