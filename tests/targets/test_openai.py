"""The openai_chat preset against a small loopback server that speaks chat completions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from aiohttp import web

from gate.project import load_project
from gate.results import RunResult
from gate.runner import build_target, run_suite
from gate.status import Status

ACTION_ITEM = "INC-2026-08-14-tutor-spanish-gloss-missing#AI-4"


def run(config: Path, url: str) -> RunResult:
    project = load_project(config)
    return run_suite(project, "release", target=build_target(project, url_override=url))


def completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "tutor-7b",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 9, "completion_tokens": 12, "total_tokens": 21},
    }


def chat_server(contents: dict[str, str]) -> Any:
    """A handler answering each prompt with the content given for it."""

    async def handle(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        if request.path != "/v1/chat/completions":
            return web.json_response({"error": {"message": "not found"}}, status=404)
        prompt = body["messages"][-1]["content"]
        return web.json_response(completion(contents[prompt]))

    return handle


GLOSS = orjson.dumps({"english": "I am tired.", "spanish": "Estoy cansado."}).decode()


def test_the_content_is_parsed_as_json_for_checks_that_read_fields(serve, http_project) -> None:
    server = serve(
        chat_server(
            {
                "prompt 1": GLOSS,
                "prompt 2": f"```json\n{GLOSS}\n```",
                "prompt 3": '{"english": "I am tired.", "spanish": ""}',
                "prompt 4": "Sure! Here is the correction: I am tired.",
            }
        )
    )
    config = http_project(
        {
            "type": "http",
            "url": "http://127.0.0.1:9",
            "preset": "openai_chat",
            "model": "tutor-7b",
            "system_prompt": "Answer in JSON {english, spanish}.",
            "retry": {"attempts": 1},
        },
        items=4,
    )
    result = run(config, server.url)
    (gloss,) = result.results
    # Prose where JSON was asked for is a broken answer a user saw: failed, not errored.
    assert gloss.status == Status.FAIL
    assert gloss.tally is not None
    assert (gloss.tally.passed, gloss.tally.failed, gloss.tally.errored) == (2, 2, 0)
    assert gloss.tally.failed_causes == {"not_json": 1}
    assert [sample.reason for sample in gloss.tally.samples] == [
        "'spanish' is blank",
        f"POST {server.url}/v1/chat/completions: 'choices.0.message.content' is a string that "
        "is not JSON: it begins 'Sure! Here is the correction: I am tired.'",
    ]
    assert gloss.message == (
        "2/4 failed (50.00%): 1 with 'spanish' missing or blank, 1 with no usable answer "
        "(not_json 1); above 0.00%"
    )
    _ident, _moment, headers = server.seen[0]
    assert headers["Content-Type"] == "application/json"
    assert result.target["url"] == server.url + "/v1/chat/completions"


def test_the_request_is_a_chat_completion_with_the_prompt_as_the_user_message(
    serve, http_project
) -> None:
    bodies: list[dict[str, Any]] = []

    async def record(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        bodies.append(body)
        return web.json_response(completion(GLOSS))

    server = serve(record)
    config = http_project(
        {
            "type": "http",
            "url": "http://127.0.0.1:9",
            "preset": "openai_chat",
            "model": "qwen2.5:0.5b",
            "system_prompt": "Reply as {json}.",
        },
        items=1,
    )
    assert run(config, server.url).results[0].status == Status.PASS
    assert bodies == [
        {
            "model": "qwen2.5:0.5b",
            "messages": [
                {"role": "system", "content": "Reply as {json}."},
                {"role": "user", "content": "prompt 1"},
            ],
        }
    ]


def test_text_answers_are_seen_as_a_text_field(serve, http_project) -> None:
    server = serve(chat_server({"prompt 1": "Estoy cansado.", "prompt 2": "  "}))
    check = {
        "id": "gloss",
        "kind": "field_nonempty",
        "action_item": ACTION_ITEM,
        "suites": ["release"],
        "corpora": ["regression"],
        "params": {"field": "text", "max_failure_rate": 0.5},
    }
    config = http_project(
        {
            "type": "http",
            "url": "http://127.0.0.1:9",
            "preset": "openai_chat",
            "model": "m",
            "answer_format": "text",
        },
        items=2,
        checks=[check],
    )
    (gloss,) = run(config, server.url).results
    assert gloss.status == Status.PASS
    assert gloss.tally is not None
    assert (gloss.tally.passed, gloss.tally.failed) == (1, 1)


def test_a_reply_without_choices_is_a_missing_field(serve, http_project) -> None:
    async def empty(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        return web.json_response({"id": "chatcmpl-1", "choices": []})

    server = serve(empty)
    config = http_project(
        {"type": "http", "url": "http://127.0.0.1:9", "preset": "openai_chat", "model": "m"},
        items=2,
    )
    (gloss,) = run(config, server.url).results
    assert gloss.status == Status.FAIL
    assert gloss.tally is not None
    assert gloss.tally.failed_causes == {"missing_field": 2}
    assert gloss.tally.samples[0].reason == (
        f"POST {server.url}/v1/chat/completions: the body has no 'choices.0.message.content'"
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"preset": "openai_chat"},
            "svc/gate.yaml:5: target.preset openai_chat needs 'model', the model the server runs",
        ),
        ({"model": "m"}, "svc/gate.yaml:5: target.model applies only with preset: openai_chat"),
    ],
)
def test_preset_settings_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: dict[str, Any], message: str
) -> None:
    from gate.config import load_config
    from gate.errors import InputErrors

    monkeypatch.chdir(tmp_path)
    (tmp_path / "svc").mkdir()
    lines = ["name: svc", "target:", "  type: http", "  url: http://127.0.0.1:1"]
    lines += [f"  {key}: {value}" for key, value in settings.items()]
    lines += ["suites:", "  release: {}"]
    (tmp_path / "svc" / "gate.yaml").write_text("\n".join(lines) + "\n")
    with pytest.raises(InputErrors) as caught:
        load_config(Path("svc/gate.yaml"))
    assert str(caught.value) == message + "\n1 problem in the gate's input; nothing was run."
