"""The http target's settings in gate.yaml: their schema, their checks and their defaults."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gate.errors import url_problem
from gate.targets import retry
from gate.targets.openai import PRESETS, preset_defaults
from gate.targets.secrets import reference_problems
from gate.targets.template import DEFAULT_BODY, template_problems

# Measured with benchmarks/http_overhead.py on two cores: past 64 requests in
# flight the gate's own CPU, not the service, sets the pace (benchmarks/README.md).
DEFAULT_CONCURRENCY = 32
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024
METHODS = ("POST", "PUT", "PATCH")
ANSWER_FORMATS = ("json", "text")  # what gate.targets.extract makes of an answer

_LAUNCH: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["command"],
    "description": "how to start the service for a local run",
    "properties": {
        "command": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "string"},
            "description": "the command; the gate fills in {port}, {manifest} and {python}",
        },
        "ready_path": {"type": "string", "pattern": "^/"},
        "ready_timeout_s": {"type": "number", "exclusiveMinimum": 0},
    },
}

SCHEMA: Mapping[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["type"],
    "properties": {
        "type": {"const": "http"},
        "url": {
            "type": "string",
            "pattern": "^https?://",
            "description": "the service's base URL, such as http://127.0.0.1:8080",
        },
        "path": {"type": "string", "pattern": "^/", "description": "the endpoint's path"},
        "method": {"enum": list(METHODS), "description": "the HTTP method (default POST)"},
        "preset": {"enum": list(PRESETS), "description": "a known API whose defaults to use"},
        "model": {"type": "string", "description": "the model name sent by openai_chat"},
        "system_prompt": {"type": "string", "description": "a system message for openai_chat"},
        "headers": {
            "type": "object",
            "additionalProperties": {"type": "string"},
            "description": "request headers; ${NAME} takes a value from the environment",
        },
        "body": {"description": "the request body template; {id} and {prompt} name the item"},
        "answer_path": {
            "type": "string",
            "pattern": "^[^.]+(\\.[^.]+)*$",
            "description": "where the answer lies in the response, as a dotted path",
        },
        "answer_format": {
            "enum": list(ANSWER_FORMATS),
            "description": "json: the answer is an object; text: a string, seen as {text: ...}",
        },
        "timeout_s": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "seconds one request may take",
        },
        "deadline_s": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "seconds the whole run may spend asking; items left then are errors",
        },
        "retry": retry.SCHEMA,
        "max_body_bytes": {
            "type": "integer",
            "minimum": 1,
            "description": "the largest response body read; a larger one is an error",
        },
        "concurrency": {
            "type": "integer",
            "minimum": 1,
            "maximum": 1024,
            "description": "requests in flight at once",
        },
        "max_rps": {
            "type": "number",
            "exclusiveMinimum": 0,
            "description": "the most requests per second, retries included",
        },
        "launch": _LAUNCH,
        "server_failures": {
            "enum": ["errored", "failed"],
            "description": "what gate run counts a timeout, a dropped connection or a 5xx after "
            "retries as: errored (default: the release may be fine and the network not) or "
            "failed (against the release, as gate smoke always does)",
        },
    },
}

KeyPath = tuple[str | int, ...]


def settings_problems(settings: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    """What the schema cannot say: templates, ${...} references, preset-only keys."""
    problems: list[tuple[KeyPath, str]] = []
    for name, value in settings.get("headers", {}).items():
        problems.extend((("headers", name), problem) for problem in reference_problems(value))
    if "body" in settings:
        problems.extend(
            (("body", *path), text) for path, text in template_problems(settings["body"])
        )
    url = settings.get("url")
    if (
        isinstance(url, str)
        and url.startswith(("http://", "https://"))  # the schema says so of anything else
        and "${" not in url
        and (problem := url_problem(url)) is not None
    ):
        problems.append((("url",), problem))
    preset = settings.get("preset")
    if preset == "openai_chat" and "model" not in settings and "body" not in settings:
        problems.append((("preset",), "openai_chat needs 'model', the model the server runs"))
    for key in ("model", "system_prompt"):
        if key in settings and preset != "openai_chat":
            problems.append(((key,), "applies only with preset: openai_chat"))
    return problems


@dataclass(frozen=True)
class HttpSettings:
    """The http target's validated settings, with the preset's and the gate's defaults."""

    url: str
    path: str
    method: str
    headers: Mapping[str, str]
    body: Any
    answer_path: str | None
    answer_format: str
    timeout_s: float
    deadline_s: float | None
    retry: retry.RetryPolicy
    max_body_bytes: int
    concurrency: int
    max_rps: float | None
    preset: str | None
    server_failures: str

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any], url_override: str | None) -> HttpSettings:
        """Fill in defaults: the preset's first, then the gate's."""
        merged = {**preset_defaults(settings), **settings}
        return cls(
            url=(url_override or merged.get("url") or "").rstrip("/"),
            path=merged.get("path", "/v1/tutor"),
            method=merged.get("method", "POST"),
            headers=dict(merged.get("headers", {})),
            body=merged.get("body", DEFAULT_BODY),
            answer_path=merged.get("answer_path"),
            answer_format=merged.get("answer_format", "json"),
            timeout_s=float(merged.get("timeout_s", DEFAULT_TIMEOUT_S)),
            deadline_s=merged.get("deadline_s"),
            retry=retry.RetryPolicy.from_settings(merged.get("retry")),
            max_body_bytes=int(merged.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES)),
            concurrency=int(merged.get("concurrency", DEFAULT_CONCURRENCY)),
            max_rps=merged.get("max_rps"),
            preset=merged.get("preset"),
            server_failures=merged.get("server_failures", "errored"),
        )
