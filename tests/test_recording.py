"""`gate run --record` and `--replay`: a live run's answers kept, judged again alike."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web

from gate.project import load_project
from gate.recording import record_to
from gate.results import RunResult
from gate.runner import build_target, run_suite
from gate.status import ExitCode
from tests.conftest import ACTION_ITEM, FIELD_CHECK, Loopback

SECRET = "sk-live-7f3a9c2e51d04b8e"
FAST_RETRY = {"attempts": 2, "backoff_s": 0.001, "backoff_max_s": 0.002}
METRIC_CHECK = {
    "id": "metric",
    "kind": "metric_exported",
    "action_item": ACTION_ITEM,
    "suites": ["release"],
    "params": {"metric": "tutor_response_empty_field_total", "type": "counter"},
}
METRICS = (
    "# HELP tutor_response_empty_field_total Answers with an empty field.\n"
    "# TYPE tutor_response_empty_field_total counter\n"
    'tutor_response_empty_field_total{field="spanish"} 3\n'
)


async def mixed(request: web.Request, body: dict[str, Any], hit: int) -> web.StreamResponse:
    """Every shape of answer a run meets, chosen by the item's number."""
    if request.path == "/metrics":
        return web.Response(text=METRICS)
    n = int(str(body["id"]).removeprefix("rg-"))
    if n % 7 == 0:
        return web.Response(status=503, text="overloaded")  # errored: http_5xx
    if n % 7 == 1:
        return web.Response(text="<html>oops</html>", content_type="text/html")  # failed: not_json
    if n % 7 == 2:
        return web.json_response({"english": "x", "spanish": ""})  # failed by the kind
    if n % 7 == 3:
        return web.json_response({"english": "x", "spanish": None})  # failed: not a string
    if n % 7 == 4:
        return web.json_response({"english": "x", "spanish": f"echo {SECRET}"})
    return web.json_response({"english": "x", "spanish": "bien"})


def _project(http_project: Any, server: Loopback, **target: Any) -> Path:
    settings = {
        "type": "http",
        "url": server.url,
        "retry": FAST_RETRY,
        "headers": {"Authorization": "Bearer ${TOKEN}"},
        **target,
    }
    return http_project(settings, items=30, checks=[FIELD_CHECK, METRIC_CHECK])  # type: ignore[no-any-return]


def _run(config: Path, *, replay: Path | None = None, record: Path | None = None) -> RunResult:
    project = load_project(config)
    target = build_target(project, replay=replay)
    if record is None:
        return run_suite(project, "release", target=target)
    with record_to(record, target.redact) as recorder:
        return run_suite(project, "release", target=target, observer=recorder)


def _seen(run: RunResult) -> list[tuple[Any, ...]]:
    return [(r.check.id, r.status, r.measured, r.message, r.tally, r.details) for r in run.results]


@pytest.mark.parametrize("server_failures", ["errored", "failed"])
def test_a_replay_gives_the_verdicts_tallies_and_listed_items_of_the_recorded_run(
    serve: Any,
    http_project: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    server_failures: str,
) -> None:
    monkeypatch.setenv("TOKEN", SECRET)
    config = _project(http_project, serve(mixed), server_failures=server_failures)
    recording = tmp_path / "out" / "answers.jsonl"
    recorded = _run(config, record=recording)
    gloss = recorded.results[0].tally
    assert gloss is not None
    # 30 items: 4 answered 503 (errored, or failed when 5xx count against the release),
    # 5 not JSON, 5 blank, 4 null, 12 with a gloss.
    if server_failures == "errored":
        assert (gloss.passed, gloss.failed, gloss.errored) == (12, 14, 4)
        assert (gloss.causes, gloss.failed_causes) == ({"http_5xx": 4}, {"not_json": 5})
    else:
        assert (gloss.passed, gloss.failed, gloss.errored) == (12, 18, 0)
        assert gloss.failed_causes == {"http_5xx": 4, "not_json": 5}
    replayed = _run(config, replay=recording)
    assert _seen(replayed) == _seen(recorded)
    assert replayed.exit_code == recorded.exit_code == ExitCode.BLOCKED
    assert replayed.target == {"type": "recorded", "path": str(recording.resolve())}


def test_the_recording_holds_each_answer_its_timing_or_its_error_and_no_secret(
    serve: Any, http_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOKEN", SECRET)
    server = serve(mixed)
    config = _project(http_project, server)
    recording = tmp_path / "answers.jsonl"
    _run(config, record=recording)
    text = recording.read_text()
    assert SECRET not in text
    lines = [orjson.loads(line) for line in text.splitlines()]
    assert [line["id"] for line in lines] == [f"rg-{n}" for n in range(1, 31)]
    by_id = {line["id"]: line for line in lines}
    assert by_id["rg-4"]["response"] == {"english": "x", "spanish": "echo ***"}
    assert set(by_id["rg-4"]["timing"]) == {"first_byte_s", "total_s"}
    assert 0 < by_id["rg-4"]["timing"]["first_byte_s"] <= by_id["rg-4"]["timing"]["total_s"]
    unanswered = by_id["rg-7"]
    assert (unanswered["response"], unanswered["cause"]) == (None, "http_5xx")
    assert (
        unanswered["error"]
        == f"POST {server.url}/v1/tutor: HTTP 503: overloaded (after 2 attempts)"
    )
    assert "timing" in unanswered  # a 503 came back, so it was timed
    html = by_id["rg-1"]
    assert (html["response"], html["cause"]) == (None, "not_json")
    pages = [
        orjson.loads(line) for line in (tmp_path / "answers.gets.jsonl").read_text().splitlines()
    ]
    assert pages == [{"get": "/metrics", "text": METRICS}]


def test_a_run_that_stops_leaves_the_previous_recording_whole(
    serve: Any, http_project: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOKEN", SECRET)
    config = _project(http_project, serve(mixed))
    recording = tmp_path / "answers.jsonl"
    recording.write_text("the previous recording\n")
    project = load_project(config)
    target = build_target(project)

    def stop(done: int, errors: int) -> None:
        if done >= 10:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), record_to(recording, target.redact) as recorder:
        run_suite(project, "release", target=target, observer=recorder, progress=stop)
    assert recording.read_text() == "the previous recording\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["answers.jsonl", "project"]


def test_a_recording_without_pages_removes_an_older_pages_file(tmp_path: Path) -> None:
    (tmp_path / "answers.gets.jsonl").write_text('{"get": "/metrics", "text": "old"}\n')
    with record_to(tmp_path / "answers.jsonl", str):
        pass
    assert sorted(path.name for path in tmp_path.iterdir()) == ["answers.jsonl"]
