"""Where a judging model is asked: an OpenAI-compatible chat endpoint, through the http target.

Its settings come from gate.yaml's `judge:` section, each of which a check's
`params.judge` may override: the check says what it needs, the project where
its judge runs. The endpoint is asked through the very code of the http
target (its connection pool, concurrency, retries with backoff and
Retry-After, timeouts and secret masking), as a target whose "items" are the
judging prompts.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gate.errors import InputError
from gate.targets import retry
from gate.targets.openai import CHAT_ANSWER_PATH, CHAT_PATH
from gate.targets.secrets import reference_problems

if TYPE_CHECKING:
    from gate.targets.http import HttpTarget

DEFAULT_CACHE = ".gate-cache/llm_judge"

SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "description": "the judging model: an OpenAI-compatible chat endpoint",
    "properties": {
        "url": {
            "type": "string",
            "pattern": "^https?://",
            "description": "the endpoint's base URL, such as http://127.0.0.1:8000",
        },
        "path": {"type": "string", "pattern": "^/", "description": "default /v1/chat/completions"},
        "model": {"type": "string", "minLength": 1, "description": "the judging model's name"},
        "api_key": {
            "type": "string",
            "description": "sent as a bearer token; write ${NAME} to read it from the environment",
        },
        "json_mode": {
            "type": "boolean",
            "description": "ask for a JSON reply with response_format (default true); turn it "
            "off for a server that does not know it",
        },
        "timeout_s": {"type": "number", "exclusiveMinimum": 0, "description": "per request"},
        "concurrency": {
            "type": "integer",
            "minimum": 1,
            "maximum": 256,
            "description": "requests to the judge in flight at once (default 32)",
        },
        "max_rps": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "the most requests per second to the judge, retries included",
        },
        "retry": retry.SCHEMA,
        "cache": {
            "type": ["string", "boolean"],
            "format": "repo-path",
            "description": f"the folder of cached judgments (default {DEFAULT_CACHE}); false: none",
        },
    },
}


def merged(config: Mapping[str, Any], params: Mapping[str, Any]) -> dict[str, Any]:
    """gate.yaml's `judge:` settings with the check's `params.judge` over them."""
    return {**config, **params.get("judge", {})}


def endpoint_problems(
    config: Mapping[str, Any], params: Mapping[str, Any]
) -> list[tuple[tuple[str | int, ...], str]]:
    """What the merged settings lack or get wrong, as (key path in params, message)."""
    settings = merged(config, params)
    problems: list[tuple[tuple[str | int, ...], str]] = []
    for key in ("url", "model"):
        if key not in settings:
            problems.append(
                (("judge",), f"needs a '{key}', here or in the judge: section of gate.yaml")
            )
    if "api_key" in settings:
        problems.extend(
            (("judge", "api_key"), text) for text in reference_problems(settings["api_key"])
        )
    return problems


def _literal(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def judge_target(settings: Mapping[str, Any], root: Path, source: Path) -> HttpTarget:
    """The http target that asks the judging model, one chat completion per prompt.

    `source` is the file the settings were read from, for messages about them.
    Imported here: the http client is for a run, never for `gate validate`.
    """
    from gate.targets.base import TargetEnv
    from gate.targets.http import HttpTarget

    body: dict[str, Any] = {
        "model": _literal(settings["model"]),
        "messages": [{"role": "user", "content": "{prompt}"}],
        "temperature": 0,
    }
    if settings.get("json_mode", True):
        body["response_format"] = {"type": "json_object"}
    target: dict[str, Any] = {
        "type": "http",
        "url": settings["url"],
        "path": settings.get("path", CHAT_PATH),
        "body": body,
        "answer_path": CHAT_ANSWER_PATH,
        "answer_format": "text",
    }
    for key in ("timeout_s", "concurrency", "max_rps", "retry"):
        if key in settings:
            target[key] = settings[key]
    if "api_key" in settings:
        _check_environment(settings["api_key"], source)
        target["headers"] = {"Authorization": f"Bearer {settings['api_key']}"}
    return HttpTarget(target, TargetEnv(root=root, config_path=source, manifest=None))


def _check_environment(value: str, source: Path) -> None:
    # Said here in the judge's words; the http target would name its own headers.
    for name in re.findall(r"\$\{([^}]*)\}", value):
        if not os.environ.get(name):
            raise InputError(
                source,
                f"judge.api_key needs the environment variable {name}, which is not set or is "
                "empty",
                fix=f"export {name} before running the gate",
            )


def cache_folder(settings: Mapping[str, Any], root: Path) -> Path | None:
    """Where judgments are cached, or None when `cache: false`."""
    cache = settings.get("cache", DEFAULT_CACHE)
    if cache is False:
        return None
    return root / (DEFAULT_CACHE if cache is True else str(cache))
