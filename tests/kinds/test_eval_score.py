"""eval_score: per-axis scorers, the mean against min_score, exact merging, bad params."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.corpus import CorpusItem
from gate.kinds.eval_score import EvalScore
from gate.status import ExitCode, Status
from gate.tally import Tally
from tests.conftest import ProjectFactory, write_jsonl

AI = "INC-2026-08-14-tutor-spanish-gloss-missing#AI-4"
GLOSS = "No le gustan las verduras."


def _item(expected: Mapping[str, Any] | None, line: int = 1) -> CorpusItem:
    return CorpusItem(
        f"ev-{line:02d}", "She don't like vegetables.", expected, (), None, "eval", line
    )


def _score(axes: Mapping[str, Any], response: Any, expected: Any = None) -> Any:
    kind = EvalScore({"min_score": 0.5, "axes": axes})
    return kind.judge(_item(expected), response)


@pytest.mark.parametrize(
    ("axis", "answer", "score"),
    [
        ({"scorer": "exact"}, GLOSS, 1.0),
        ({"scorer": "exact"}, GLOSS.lower(), 0.0),
        ({"scorer": "exact", "normalize": True}, "  no le gustan  las verduras. ", 1.0),
        ({"scorer": "contains"}, f"Spanish: {GLOSS}", 1.0),
        ({"scorer": "contains"}, "No le gustan.", 0.0),
        ({"scorer": "regex", "pattern": r"^\S.*\.$"}, GLOSS, 1.0),
        ({"scorer": "regex", "pattern": r"^(?i)spanish:"}, GLOSS, 0.0),
        ({"scorer": "chrf"}, GLOSS, 1.0),
        ({"scorer": "chrf"}, "", 0.0),
        ({"scorer": "exact"}, 3, 0.0),
    ],
)
def test_each_text_scorer(axis: dict[str, Any], answer: Any, score: float) -> None:
    verdict = _score({"spanish": axis}, {"spanish": answer}, {"spanish": GLOSS})
    assert verdict.sums["axis.spanish_ppm"] == score * 1_000_000


def test_chrf_is_sacrebleu_sentence_chrf_on_a_zero_to_one_scale() -> None:
    from sacrebleu.metrics.chrf import CHRF

    cut = "No le gustan"
    verdict = _score({"spanish": {"scorer": "chrf"}}, {"spanish": cut}, {"spanish": GLOSS})
    expected = CHRF().sentence_score(cut, [GLOSS]).score / 100
    assert 0 < expected < 1
    assert verdict.sums["axis.spanish_ppm"] == round(expected * 1_000_000)


def test_json_keys_ignores_order_and_extra_keys() -> None:
    axes = {"shape": {"scorer": "json_keys", "field": "$"}}
    expected = {"english": "x", "spanish": "y"}
    spanish_first = {"spanish": "y", "english": "x", "note": "extra"}
    assert _score(axes, spanish_first, expected).ok
    half = _score(axes, {"english": "x"}, expected)
    assert half.sums["axis.shape_ppm"] == 500_000
    assert half.ok  # 0.5 is not below the 0.5 bar
    strict = EvalScore({"min_score": 0.9, "axes": axes}).judge(_item(expected), {"english": "x"})
    assert strict.reason == "score 0.5000 below 0.9: shape 0.50 (missing keys spanish)"


def test_a_missing_field_scores_zero_and_says_so() -> None:
    kind = EvalScore({"min_score": 0.9, "axes": {"spanish": {"scorer": "exact"}}})
    verdict = kind.judge(_item({"spanish": GLOSS}), {"english": "She doesn't."})
    assert not verdict.ok
    assert verdict.reason == "score 0.0000 below 0.9: spanish 0.00 ('spanish' is missing)"


def test_weights_and_the_reason_of_a_low_item() -> None:
    kind = EvalScore(
        {
            "min_score": 0.92,
            "axes": {
                "english": {"scorer": "exact", "weight": 1},
                "spanish": {"scorer": "exact", "weight": 3},
            },
        }
    )
    expected = {"english": "She doesn't like vegetables.", "spanish": GLOSS}
    verdict = kind.judge(_item(expected), {"english": expected["english"], "spanish": ""})
    assert verdict.sums == {
        "scored": 1,
        "axis.english_ppm": 1_000_000,
        "axis.spanish_ppm": 0,
        "score_ppm": 250_000,
        "score_sq": 250**2,  # in thousandths, squared
    }
    assert verdict.reason == (
        "score 0.2500 below 0.92: spanish 0.00 (expected 'No le gustan las verduras.', got '')"
    )


def _tally(kind: EvalScore, answers: list[tuple[str, str]], start: int = 0) -> Tally:
    tally = Tally()
    for offset, (answer, expected) in enumerate(answers):
        item = _item({"spanish": expected}, line=start + offset + 1)
        verdict = kind.judge(item, {"spanish": answer})
        tally.total += 1
        if verdict.ok:
            tally.passed += 1
        else:
            tally.failed += 1
        for key, value in (verdict.sums or {}).items():
            tally.sums[key] = tally.sums.get(key, 0.0) + value
    return tally


@pytest.mark.parametrize(("right", "status"), [(92, Status.PASS), (91, Status.FAIL)])
def test_the_mean_at_min_score_passes_and_just_below_fails(right: int, status: Status) -> None:
    kind = EvalScore({"min_score": 0.92, "axes": {"spanish": {"scorer": "exact"}}})
    answers = [("a", "a")] * right + [("b", "a")] * (100 - right)
    measurement = kind.verdict(_tally(kind, answers))
    assert measurement.status is status
    assert measurement.measured == right / 100


def test_the_message_and_details_show_each_axis() -> None:
    kind = EvalScore(
        {
            "min_score": 0.6,
            "axes": {
                "english": {"scorer": "contains", "field": "spanish"},
                "spanish": {"scorer": "exact"},
            },
        }
    )
    measurement = kind.verdict(_tally(kind, [("ab", "a"), ("a", "a"), ("b", "a"), ("a", "a")]))
    assert measurement.status is Status.PASS
    assert measurement.message == (
        "mean score 0.6250 (95%: 0.0000..1.0000) over 4 items, at or above 0.6: 4 items cannot "
        "separate this from the limit (axes: english 0.7500, spanish 0.5000; items scoring "
        "below 0.6: 2)"
    )
    assert measurement.details == {
        "axes": {"english": 0.75, "spanish": 0.5},
        "scored": 4,
        "below_min_score": 2,
        "interval": {
            "level": 0.95,
            "method": "t",
            "value": 0.625,
            "low": 0.0,
            "high": 1.0,
            "limit": 0.6,
            "bound": "min",
            "unit": "score",
            "count": 4,
            "settled": False,
            "point_within": True,
        },
    }
    assert measurement.limit == ">= 0.6"


def test_a_per_axis_minimum_fails_even_when_the_mean_passes() -> None:
    kind = EvalScore(
        {
            "min_score": 0.5,
            "axes": {
                "english": {"scorer": "contains", "field": "spanish"},
                "spanish": {"scorer": "exact", "min_score": 0.8},
            },
        }
    )
    measurement = kind.verdict(_tally(kind, [("ab", "a"), ("a", "a"), ("b", "a"), ("a", "a")]))
    assert measurement.status is Status.FAIL
    assert measurement.limit == ">= 0.5, spanish >= 0.8"
    assert measurement.message == (
        "mean score 0.6250 (95%: 0.0000..1.0000) over 4 items, at or above 0.5: 4 items cannot "
        "separate this from the limit, but axis spanish 0.5000 is below its minimum 0.8 "
        "(axes: english 0.7500, spanish 0.5000; items scoring below 0.5: 1)"
    )


def test_shards_merge_to_exactly_the_unsharded_result() -> None:
    kind = EvalScore({"min_score": 0.5, "axes": {"spanish": {"scorer": "chrf"}}})
    words = ["No le gustan", "las verduras", "No", "le gustan las verduras.", GLOSS, "x"]
    answers = [(words[i % len(words)], GLOSS) for i in range(97)]
    whole = kind.verdict(_tally(kind, answers))
    parts = [_tally(kind, answers[k::3], start=k) for k in range(3)]
    merged = parts[2].merge(parts[0]).merge(parts[1])
    assert merged.sums == _tally(kind, answers).sums
    assert kind.verdict(merged) == whole


def test_an_item_without_the_expected_value_makes_the_check_an_error() -> None:
    kind = EvalScore({"min_score": 0.5, "axes": {"spanish": {"scorer": "chrf"}}})
    verdict = kind.judge(_item({"english": "x"}), {"spanish": GLOSS})
    assert verdict == (
        False,
        "cannot score: the item has no expected 'spanish' for axis spanish",
        {"unscored": 1},
    )
    tally = Tally(2, 1, 1, 0, {"scored": 1, "score_ppm": 1e6, "unscored": 1})
    measurement = kind.verdict(tally)
    assert measurement.status is Status.ERROR
    assert measurement.message == (
        "1 item lacks the expected values the axes compare with (see the samples); "
        "add them to the corpus or narrow the check with select"
    )


def test_a_regex_axis_needs_no_expected_value() -> None:
    axes = {"bare": {"scorer": "regex", "field": "spanish", "pattern": "^[^:]*$"}}
    assert _score(axes, {"spanish": GLOSS}, None).ok
    assert not _score(axes, {"spanish": f"Spanish: {GLOSS}"}, None).ok


CHECK = """\
id: eval-score
kind: eval_score
action_item: {ai}
suites: [release]
corpora: [eval]
params:
{params}
"""


def _project(project: ProjectFactory, params: str, answers: list[str]) -> None:
    rows = [
        {"id": f"ev-{n:02d}", "prompt": f"p{n}", "expected": {"spanish": "Hola."}}
        for n in range(len(answers))
    ]
    write_jsonl(project.root / "corpora/eval.jsonl", rows)
    project.write("checks/eval-score.yaml", CHECK.format(ai=AI, params=params))
    project.recorded({row["id"]: {"spanish": a} for row, a in zip(rows, answers, strict=True)})


def test_a_run_reports_the_low_items_as_samples(project: ProjectFactory, chdir: Any) -> None:
    params = "  min_score: 0.9\n  axes:\n    spanish: {scorer: exact}"
    _project(project, params, ["Hola."] * 9 + ["", "Adiós."])
    chdir(project.root)
    result = CliRunner().invoke(cli, ["run", "--report-json", "report.json"])
    assert result.exit_code == ExitCode.BLOCKED, result.output
    (check,) = json.loads((project.root / "report.json").read_text())["checks"]
    assert check["status"] == "fail"
    assert check["measured"] == pytest.approx(9 / 11, abs=1e-6)
    assert check["tally"]["sums"] == {
        "axis.spanish_ppm": 9_000_000,
        "score_ppm": 9_000_000,
        "score_sq": 9_000_000,
        "scored": 11,
    }
    assert "  ev-09 (failed): score 0.0000 below 0.9: spanish 0.00 (expected 'Hola.', got '')" in (
        result.output
    )


def test_sharded_runs_merge_to_the_same_mean_as_one_run(
    project: ProjectFactory, chdir: Any
) -> None:
    words = ["Hola.", "Hola", "hola a todos.", "", "Hola, hola."]
    params = "  min_score: 0.5\n  axes:\n    spanish: {scorer: chrf}"
    _project(project, params, [words[n % len(words)] for n in range(61)])
    chdir(project.root)
    runner = CliRunner()
    runner.invoke(cli, ["run", "--report-json", "whole.json"])
    shards = [f"shard-{k}.json" for k in (1, 2, 3)]
    for k, path in enumerate(shards, start=1):
        runner.invoke(cli, ["run", "--shard", f"{k}/3", "--report-json", path])
    merged = runner.invoke(cli, ["merge", *shards, "--report-json", "merged.json"])
    assert merged.exit_code == ExitCode.OK, merged.output
    whole, total = (
        json.loads((project.root / name).read_text())["checks"][0]
        for name in ("whole.json", "merged.json")
    )
    assert total["tally"] == whole["tally"]
    assert (total["measured"], total["message"]) == (whole["measured"], whole["message"])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            "  min_score: 0.9\n  axes:\n    bare: {scorer: regex}",
            "checks/eval-score.yaml:9: params.axes.bare is a regex axis and needs a 'pattern'",
        ),
        (
            "  min_score: 0.9\n  axes:\n    bare: {scorer: regex, pattern: '(a)\\1'}",
            "checks/eval-score.yaml:9: params.axes.bare.pattern is not a pattern the gate can "
            "run: invalid escape sequence: \\1 (patterns run on RE2, in linear time, without "
            "back-references or look-around)",
        ),
        (
            "  min_score: 0.9\n  axes:\n    spanish: {scorer: exact, pattern: x}",
            "checks/eval-score.yaml:9: params.axes.spanish.pattern applies only to a regex axis",
        ),
        (
            "  min_score: 0.9\n  axes:\n    spanish: {scorer: bleu}",
            "checks/eval-score.yaml:9:15: 'params.axes.spanish.scorer' is a string \"bleu\", "
            "expected one of: exact, contains, regex, chrf, json_keys",
        ),
        (
            "  min_score: 1.5\n  axes:\n    spanish: {scorer: exact}",
            "checks/eval-score.yaml:7:3: 'params.min_score': 1.5 is greater than the maximum of 1"
            "\n  fix: 'params.min_score' is the lowest mean item score that passes; an item "
            "scoring below it is listed among the failed samples",
        ),
    ],
)
def test_bad_params_are_one_sentence_each(
    project: ProjectFactory, chdir: Any, params: str, message: str
) -> None:
    _project(project, params, ["Hola."])
    chdir(project.root)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == f"{message}\n1 problem in the gate's input; nothing was run.\n"


def test_an_exact_mismatch_deep_in_a_long_text_is_shown_from_where_it_parts() -> None:
    expected = "If we had left earlier, we would not have missed the beginning of the film."
    verdict = _score(
        {"english": {"scorer": "exact"}}, {"english": expected[:60]}, {"english": expected}
    )
    assert verdict.reason == (
        "score 0.0000 below 0.5: english 0.00 "
        "(from character 61, expected 'ng of the film.', got '')"
    )


def test_a_smoke_round_counts_the_service_failures_as_scoring_nothing(
    project: ProjectFactory, serve: Any
) -> None:
    """8 of 10 requests fail with 503 in a bake: the mean is over 10 items, not the 2 answered."""
    import asyncio

    from aiohttp import web

    from gate.project import load_project
    from gate.runner import build_target, judge_round
    from gate.smoke.unanswered import Unanswered

    async def mostly_down(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        if int(body["id"].split("-")[1]) < 8:
            return web.Response(status=503, text="overloaded")
        return web.json_response({"spanish": GLOSS})

    server = serve(mostly_down)
    project.write(
        "gate.yaml",
        f"target: {{type: http, url: '{server.url}', retry: {{attempts: 1}}}}\n"
        "suites: {release: {}, smoke: {}}\n",
    )
    write_jsonl(
        project.root / "corpora/eval.jsonl",
        ({"id": f"ev-{n:02d}", "prompt": "p", "expected": {"spanish": GLOSS}} for n in range(10)),
    )
    project.write(
        "checks/eval.yaml",
        f"id: eval\nkind: eval_score\naction_item: {AI}\nsuites: [smoke]\ncorpora: [eval]\n"
        "params: {min_score: 0.9, axes: {spanish: {scorer: exact}}}\n",
    )
    loaded = load_project(project.config)
    target = build_target(loaded)

    async def one_round() -> Any:
        async with target:
            return await judge_round(loaded, loaded.checks, target, unanswered=Unanswered())

    (result,) = asyncio.run(one_round())
    assert (result.status, result.measured) == (Status.FAIL, 0.2)
    assert result.message == (
        "mean score 0.2000 (95%: 0.0000..0.5016) over 10 items, below 0.9 (axes: spanish "
        "0.2000; items scoring below 0.9: 8)"
    )
