"""llm_judge end to end: a loopback service answers, a loopback judge grades by a rule, and the
judge's own failures (garbage, 429s, timeouts, no JSON mode) are errored, never passed."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from click.testing import CliRunner

from gate.cli import cli
from gate.corpus import CorpusItem
from gate.grader.reply import Unreadable
from gate.kinds.llm_judge import LlmJudge
from gate.status import ExitCode
from tests.conftest import ACTION_ITEM, Loopback
from tests.loopback import FakeJudge

RUBRIC = "The gloss greets the learner in Spanish."
BAD = {"rg-3", "rg-7"}  # the answers without a greeting


@pytest.fixture
def judge() -> Iterator[FakeJudge]:
    with FakeJudge() as server:
        yield server


def _service(serve: Callable[..., Loopback]) -> Loopback:
    async def handler(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        spanish = "Adiós." if body["id"] in BAD else "Hola, amigo."
        return web.json_response({"english": "Hello.", "spanish": spanish})

    return serve(handler)


def _check(params: dict[str, Any]) -> dict[str, Any]:
    """An llm_judge check file on the regression corpus with these params."""
    return {
        "id": "greets",
        "kind": "llm_judge",
        "action_item": ACTION_ITEM,
        "suites": ["release"],
        "corpora": ["regression"],
        "params": params,
    }


def _run(
    http_project: Callable[..., Path],
    serve: Callable[..., Loopback],
    judge: FakeJudge,
    monkeypatch: Any,
    *,
    params: dict[str, Any] | None = None,
    endpoint: dict[str, Any] | None = None,
    config: Path | None = None,
) -> tuple[int, dict[str, Any], str]:
    if config is None:
        check = _check(
            {
                "rubric": RUBRIC,
                "field": "spanish",
                "max_failure_rate": 0.2,
                "judge": {"url": judge.url, "model": "grader-1", **(endpoint or {})},
                **(params or {}),
            }
        )
        config = http_project({"type": "http", "url": _service(serve).url}, checks=[check])
    monkeypatch.chdir(config.parent)
    result = CliRunner().invoke(cli, ["run", "--report-json", "report.json"])
    (entry,) = json.loads((config.parent / "report.json").read_text())["checks"]
    return result.exit_code, entry, result.output


def test_a_rubric_graded_by_the_judge_counts_each_answer(
    http_project: Any, serve: Any, judge: FakeJudge, monkeypatch: Any
) -> None:
    code, check, _ = _run(http_project, serve, judge, monkeypatch)
    assert code == ExitCode.OK
    tally = check["tally"]
    assert (tally["passed"], tally["failed"], tally["errored"]) == (8, 2, 0)
    assert check["message"] == (
        "2/10 judged failing the rubric: 20.00% (95%: 5.7%..51.0%) within 20.00%: 10 items "
        "cannot separate this from the limit"
    )
    assert [sample["reason"] for sample in check["samples"]] == ["the judge: no greeting"] * 2
    assert check["details"]["judge"] == {
        "url": f"{judge.url}/v1/chat/completions",
        "model": "grader-1",
        "asked": 10,
        "cached": 0,
        "requests": 10,
        "retries": 0,
    }
    # The prompt carries the rubric, the request and the graded field.
    assert "Rubric: The gloss greets the learner in Spanish." in judge.asked[0]
    assert "Answer: Hola, amigo." in "".join(judge.asked)


def test_a_rerun_pays_only_for_answers_it_has_not_judged(
    http_project: Any, serve: Any, judge: FakeJudge, monkeypatch: Any
) -> None:
    _, first, _ = _run(http_project, serve, judge, monkeypatch)
    config = Path.cwd() / "gate.yaml"
    entries = sorted((config.parent / ".gate-cache/llm_judge").rglob("*.json"))
    assert len(entries) == 10  # one per prompt and answer
    assert json.loads(entries[0].read_text())["model"] == "grader-1"
    judge.asked.clear()
    code, second, _ = _run(http_project, serve, judge, monkeypatch, config=config)
    assert (code, judge.asked) == (ExitCode.OK, [])
    assert second["tally"] == first["tally"]
    assert second["details"]["judge"]["cached"] == 10
    # Another rubric is another question: asked again.
    path = config.parent / "checks/greets.yaml"
    path.write_text(path.read_text().replace("greets the learner", "says hello"))
    _run(http_project, serve, judge, monkeypatch, config=config)
    assert len(judge.asked) == 10


@pytest.mark.parametrize(
    ("mode", "endpoint", "cause", "reason"),
    [
        (
            "garbage",
            {},
            "judge_unreadable",
            "the judge's reply: the reply is neither JSON nor 'PASS' or 'FAIL': "
            "'Well, it depends.'",
        ),
        (
            "429",
            {"retry": {"attempts": 2, "backoff_s": 0}},
            "judge_http_429",
            "the judge: POST {url}/v1/chat/completions: HTTP 429: "
            '{{"error": "slow down"}} (after 2 attempts)',
        ),
        (
            "slow",
            {"timeout_s": 0.2, "retry": {"attempts": 1}},
            "judge_timeout",
            "the judge: POST {url}/v1/chat/completions: no complete answer within 0.2 s",
        ),
        (
            "strict",
            {},
            "judge_http_4xx",
            "the judge: POST {url}/v1/chat/completions: HTTP 400: "
            '{{"error": "response_format is not supported"}}',
        ),
    ],
)
def test_the_judge_s_own_failures_are_errored_never_passed(
    http_project: Any,
    serve: Any,
    judge: FakeJudge,
    monkeypatch: Any,
    mode: str,
    endpoint: dict[str, Any],
    cause: str,
    reason: str,
) -> None:
    judge.mode, judge.delay_s = mode, 1.0
    code, check, _ = _run(http_project, serve, judge, monkeypatch, endpoint=endpoint)
    assert (code, check["status"]) == (ExitCode.UNJUDGED, "error")
    tally = check["tally"]
    assert (tally["passed"], tally["failed"], tally["errored"]) == (0, 0, 10)
    assert tally["causes"] == {cause: 10}
    assert check["samples"][0]["reason"] == reason.format(url=judge.url)
    assert not list((Path.cwd() / ".gate-cache").rglob("*.json"))  # nothing cached


def test_a_judge_that_asks_to_wait_is_asked_again(
    http_project: Any, serve: Any, judge: FakeJudge, monkeypatch: Any
) -> None:
    judge.fail_first = 3
    code, check, _ = _run(http_project, serve, judge, monkeypatch)
    assert (code, check["tally"]["passed"], check["tally"]["errored"]) == (ExitCode.OK, 8, 0)
    assert check["details"]["judge"]["retries"] == 3


@pytest.mark.parametrize("mode", ["strict", "line"])
def test_without_json_mode_a_strict_line_is_read(
    http_project: Any, serve: Any, judge: FakeJudge, monkeypatch: Any, mode: str
) -> None:
    # strict: the server refuses response_format, and is not sent it; line: it answers
    # `PASS: ...` or `FAIL: ...` rather than JSON.
    judge.mode = mode
    code, check, _ = _run(http_project, serve, judge, monkeypatch, endpoint={"json_mode": False})
    assert (code, check["tally"]["failed"], check["tally"]["errored"]) == (ExitCode.OK, 2, 0)


@pytest.mark.parametrize(("min_score", "code"), [(0.85, ExitCode.OK), (0.86, ExitCode.BLOCKED)])
def test_a_score_at_min_score_passes_and_just_above_fails(
    http_project: Any,
    serve: Any,
    judge: FakeJudge,
    monkeypatch: Any,
    min_score: float,
    code: ExitCode,
) -> None:
    judge.score, judge.mode = True, "fence"
    params = {"grade": "score", "min_score": min_score}
    found_code, check, _ = _run_score(http_project, serve, judge, monkeypatch, params)
    # 8 answers at 1 and 2 at 0.25: a mean of 0.85.
    assert found_code == code
    assert check["measured"] == 0.85


def _run_score(
    http_project: Any, serve: Any, judge: FakeJudge, monkeypatch: Any, params: dict[str, Any]
) -> tuple[int, dict[str, Any], str]:
    judged = {"url": judge.url, "model": "grader-1"}
    check = _check({"rubric": RUBRIC, "field": "spanish", "judge": judged, **params})
    config = http_project({"type": "http", "url": _service(serve).url}, checks=[check])
    return _run(http_project, serve, judge, monkeypatch, config=config)


def test_the_key_comes_from_the_environment_and_never_shows(
    http_project: Any, serve: Any, judge: FakeJudge, monkeypatch: Any
) -> None:
    monkeypatch.setenv("JUDGE_KEY", "sk-secret-123")
    judge.mode = "garbage"  # its reply quotes the key back
    code, check, output = _run(
        http_project, serve, judge, monkeypatch, endpoint={"api_key": "${JUDGE_KEY}"}
    )
    assert judge.keys[0] == "Bearer sk-secret-123"
    assert code == ExitCode.UNJUDGED
    assert "sk-secret-123" not in json.dumps(check) + output
    assert check["samples"][0]["reason"].endswith("'Well, it depends. Bearer ***'")


def test_an_unset_key_is_an_input_error(
    http_project: Any, serve: Any, judge: FakeJudge, monkeypatch: Any
) -> None:
    monkeypatch.delenv("JUDGE_KEY", raising=False)
    judged = {"url": judge.url, "model": "m", "api_key": "${JUDGE_KEY}"}
    check = _check({"rubric": RUBRIC, "judge": judged})
    config = http_project({"type": "http", "url": "http://127.0.0.1:9"}, checks=[check])
    monkeypatch.chdir(config.parent)
    result = CliRunner().invoke(cli, ["run"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == (
        "gate: checks/greets.yaml: judge.api_key needs the environment variable JUDGE_KEY, "
        "which is not set or is empty\n  fix: export JUDGE_KEY before running the gate\n"
    )


@pytest.mark.parametrize(
    ("params", "config", "message"),
    [
        (
            {"rubric": RUBRIC},
            "",
            "params.judge needs a 'url', here or in the judge: section of gate.yaml",
        ),
        (
            {"rubric": RUBRIC, "judge": {"model": "m"}},
            "judge: {url: 'http://127.0.0.1:9'}\n",
            None,
        ),
        (
            {"rubric": RUBRIC, "prompt": "Grade {answer} for {question}", "judge": {}},
            "judge: {url: 'http://127.0.0.1:9', model: m}\n",
            "params.prompt uses {question}, which is not one of {prompt}, {answer}, {rubric}, "
            "{expected}",
        ),
        (
            {"rubric": RUBRIC, "min_score": 0.5, "judge": {}},
            "judge: {url: 'http://127.0.0.1:9', model: m}\n",
            "params.min_score does not apply with grade: pass_fail",
        ),
    ],
)
def test_validate_names_what_the_check_lacks(
    http_project: Any,
    monkeypatch: Any,
    params: dict[str, Any],
    config: str,
    message: str | None,
) -> None:
    path = http_project({"type": "http", "url": "http://127.0.0.1:9"}, checks=[_check(params)])
    path.write_text(path.read_text() + config)
    monkeypatch.chdir(path.parent)
    result = CliRunner().invoke(cli, ["validate"])
    if message is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert f": {message}" in result.output.splitlines()[0]


ITEM = CorpusItem("rg-1", "p", {"spanish": "Hola."}, (), None, "regression", 1)


@pytest.mark.parametrize(
    "reply",
    ['{"pass": "yes"}', '["pass"]', '{"reason": "fine"}', "", "It passes, I think.", "PASSED"],
)
def test_every_shape_of_an_unreadable_reply_is_refused(reply: str) -> None:
    kind = LlmJudge({"rubric": RUBRIC})
    with pytest.raises(Unreadable):
        kind.judge_reply(ITEM, {}, reply)


class _Raising(LlmJudge):
    """llm_judge whose prompt cannot be made: a plugin's fault, kept inside its check."""

    name = "raising_judge"

    def grading(self, item: CorpusItem, response: Any) -> tuple[str, list[str]]:
        raise ValueError("no prompt today")


def test_a_kind_whose_grading_raises_errors_its_own_check_only(
    http_project: Any, serve: Any, judge: FakeJudge, monkeypatch: Any
) -> None:
    import dataclasses

    from gate.project import load_project
    from gate.registry import Registry
    from gate.runner import build_target, run_suite

    check = _check({"rubric": RUBRIC, "judge": {"url": judge.url, "model": "m"}})
    config = http_project({"type": "http", "url": _service(serve).url}, checks=[check])
    project = load_project(config)
    registry = Registry({**project.registry.kinds, "llm_judge": _Raising})
    project = dataclasses.replace(project, registry=registry)
    (result,) = run_suite(project, "release", target=build_target(project)).results
    assert result.status.value == "error"
    assert (
        result.message
        == "kind 'llm_judge' raised on items rg-1 to rg-10: ValueError: no prompt today"
    )
    assert result.tally is not None and result.tally.accounted
    assert judge.asked == []
