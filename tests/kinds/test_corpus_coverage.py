"""corpus_coverage: enough items, enough of a tag and source, and no repeated prompts."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.kinds.corpus_coverage import CorpusCoverage
from gate.status import ExitCode, Status
from tests.conftest import ProjectFactory, write_jsonl
from tests.kinds.conftest import context_of

LONG_TAIL = {
    "corpus": "long-tail",
    "min_items": 50,
    "tagged": {"tags": ["long-tail"], "source": "portal", "min_items": 50},
}


def _corpus(project: ProjectFactory, name: str, rows: list[tuple[str, list[str], str]]) -> None:
    write_jsonl(
        project.root / "corpora" / f"{name}.jsonl",
        (
            {"id": f"{name}-{n:03d}", "prompt": prompt, "tags": tags, "source": source}
            for n, (prompt, tags, source) in enumerate(rows)
        ),
    )


def _portal(count: int, start: int = 0) -> list[tuple[str, list[str], str]]:
    return [
        (f"Long prompt number {n}.", ["long-tail", "p90-100"], "portal")
        for n in range(start, start + count)
    ]


def _judge(project: ProjectFactory, params: dict[str, Any]) -> Any:
    return CorpusCoverage(params).evaluate(context_of(project))


@pytest.mark.parametrize(("count", "status"), [(50, Status.PASS), (49, Status.FAIL)])
def test_the_tagged_minimum_is_inclusive(
    project: ProjectFactory, count: int, status: Status
) -> None:
    _corpus(project, "long-tail", [*_portal(count), ("Curated one.", ["long-tail"], "curated")])
    result = _judge(project, LONG_TAIL)
    assert result.status is status
    assert result.measured == count
    assert result.limit == ">= 50 items, >= 50 tagged long-tail and from source portal"


def test_the_message_says_what_is_short(project: ProjectFactory) -> None:
    _corpus(project, "long-tail", [*_portal(40), ("Curated.", ["long-tail"], "curated")])
    result = _judge(project, LONG_TAIL)
    assert result.message == (
        "corpus 'long-tail' holds 41 items, 40 tagged long-tail and from source portal: "
        "fewer than 50; fewer than 50 tagged long-tail and from source portal"
    )
    assert result.details == {"items": 41, "tagged": 40, "repeated_prompts": 0}


def test_a_selection_counts_only_its_items(project: ProjectFactory) -> None:
    fixed = [(f"Short {n}.", ["smoke", "fixed"], "curated") for n in range(10)]
    sampled = [(f"Portal {n}.", ["smoke", "portal-sample"], "portal") for n in range(5)]
    _corpus(project, "smoke", fixed + sampled)
    params = {
        "corpus": "smoke",
        "select": {"tags": ["smoke"]},
        "min_items": 15,
        "tagged": {"tags": ["portal-sample"], "source": "portal", "min_items": 5},
    }
    result = _judge(project, params)
    assert result.status is Status.PASS
    assert result.message == (
        "corpus 'smoke' holds 15 items tagged smoke, 5 tagged portal-sample and from source "
        "portal: enough"
    )
    narrower = {**params, "select": {"source": "portal"}}
    assert _judge(project, narrower).message == (
        "corpus 'smoke' holds 5 items from source portal, 5 tagged portal-sample and from "
        "source portal: fewer than 15"
    )


def test_repeated_prompts_fail_whatever_their_case_and_spacing(project: ProjectFactory) -> None:
    rows = [
        *_portal(50),
        ("long prompt  NUMBER 3.", ["long-tail"], "portal"),
        ("\uff2cong prompt number 4.", ["long-tail"], "portal"),  # a full-width L: NFKC-equal
    ]
    _corpus(project, "long-tail", rows)
    result = _judge(project, LONG_TAIL)
    assert result.status is Status.FAIL
    assert result.message == (
        "corpus 'long-tail' holds 52 items, 52 tagged long-tail and from source portal: "
        "2 repeated prompts: long-tail-050 (line 51) repeats long-tail-003 (line 4); "
        "long-tail-051 (line 52) repeats long-tail-004 (line 5)"
    )
    assert _judge(project, {**LONG_TAIL, "allow_duplicate_prompts": True}).status is Status.PASS


def test_many_repeats_are_summarised(project: ProjectFactory) -> None:
    _corpus(project, "smoke", [("Same.", [], "portal")] * 6)
    result = _judge(project, {"corpus": "smoke"})
    assert result.message == (
        "corpus 'smoke' holds 6 items: 5 repeated prompts: smoke-001 (line 2) repeats smoke-000 "
        "(line 1); smoke-002 (line 3) repeats smoke-000 (line 1); smoke-003 (line 4) repeats "
        "smoke-000 (line 1); and 2 more"
    )


def test_an_unknown_corpus_is_an_error(project: ProjectFactory) -> None:
    project.corpus("regression", 3)
    result = _judge(project, {"corpus": "long-tail"})
    assert (result.status, result.message) == (
        Status.ERROR,
        "corpus 'long-tail' does not exist (corpora: regression)",
    )


def test_an_empty_selection_fails_the_default_minimum(project: ProjectFactory) -> None:
    project.corpus("regression", 3)
    result = _judge(project, {"corpus": "regression", "select": {"source": "portal"}})
    assert (result.status, result.message) == (
        Status.FAIL,
        "corpus 'regression' holds 0 items from source portal: fewer than 1",
    )


def test_bad_params(project: ProjectFactory, chdir: Any) -> None:
    project.corpus("regression", 3)
    project.write(
        "checks/coverage.yaml",
        "id: long-tail-coverage\nkind: corpus_coverage\n"
        "action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-2\nsuites: [release]\n"
        "params:\n  corpus: regression\n  tagged: {tags: [long-tail]}\n",
    )
    chdir(project.root)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == (
        "checks/coverage.yaml:7:3: missing required key 'min_items' in params.tagged\n"
        "  fix: add 'min_items': the fewest items carrying those tags from that source\n"
        "1 problem in the gate's input; nothing was run.\n"
    )
