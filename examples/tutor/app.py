"""HTTP routes of the tutor."""

from __future__ import annotations

import asyncio
import functools
import json
from dataclasses import dataclass

from aiohttp import web

from .lessons import LessonTable
from .manifest import ManifestWatcher
from .metrics import TutorMetrics
from .model import Answer, decode


@dataclass
class TutorState:
    """Everything a request handler needs, shared by all requests."""

    lessons: LessonTable
    manifest: ManifestWatcher
    metrics: TutorMetrics
    latency_seconds: float = 0.0
    token_seconds: float = 0.0  # added per token decoded, so a smaller budget answers sooner


STATE_KEY = web.AppKey("tutor_state", TutorState)

# Glosses stay readable on the wire ("años", not "a\u00f1os").
_dumps = functools.partial(json.dumps, ensure_ascii=False)


def _bad_request(state: TutorState, message: str) -> web.Response:
    state.metrics.bad_requests.inc()
    return web.json_response({"error": message}, status=400)


def _body(answer: Answer, key_order: str) -> dict[str, str]:
    # JSON objects are unordered, so a client that parses the body sees no
    # difference; a client that compares raw text would.
    if key_order == "spanish_first":
        return {"spanish": answer.spanish, "english": answer.english}
    return {"english": answer.english, "spanish": answer.spanish}


async def tutor(request: web.Request) -> web.Response:
    """POST /v1/tutor: correct a sentence and gloss it in Spanish."""
    state = request.app[STATE_KEY]
    try:
        payload = json.loads(await request.read())
    except (ValueError, UnicodeDecodeError):
        return _bad_request(state, "body must be a JSON object")
    if not isinstance(payload, dict):
        return _bad_request(state, "body must be a JSON object")
    prompt = payload.get("prompt")
    if not isinstance(prompt, str):
        return _bad_request(state, "'prompt' must be a string")
    if not prompt.strip():
        return _bad_request(state, "'prompt' must not be blank")
    manifest = state.manifest.maybe_reload()
    answer = decode(state.lessons.lookup(prompt), manifest)
    latency = state.latency_seconds + state.token_seconds * answer.decoded
    if latency > 0:
        await asyncio.sleep(latency)
    state.metrics.observe_answer(answer)
    return web.json_response(_body(answer, manifest.response_key_order), dumps=_dumps)


async def healthz(request: web.Request) -> web.Response:
    """GET /healthz: plain ``ok`` once the tutor is serving."""
    return web.Response(text="ok")


async def metrics(request: web.Request) -> web.Response:
    """GET /metrics: Prometheus text exposition."""
    state = request.app[STATE_KEY]
    state.manifest.maybe_reload()
    body = state.metrics.render()
    return web.Response(body=body, headers={"Content-Type": state.metrics.content_type})


def make_app(state: TutorState) -> web.Application:
    """Build the aiohttp application serving the tutor's three routes."""
    app = web.Application()
    app[STATE_KEY] = state
    app.router.add_post("/v1/tutor", tutor)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app
