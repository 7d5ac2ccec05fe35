"""Shared fixtures: small projects on disk and real HTTP servers on loopback."""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from aiohttp import web

from gate.project import load_project
from gate.results import RunResult
from gate.runner import build_target, run_suite

Handler = Callable[[web.Request, dict[str, Any], int], Awaitable[web.StreamResponse]]

GOOD = {"english": "I went to the shop.", "spanish": "Fui a la tienda."}


async def answer_ok(request: web.Request, body: dict[str, Any], hit: int) -> web.StreamResponse:
    """The tutor's happy path: both fields filled."""
    return web.json_response(GOOD)


class Loopback:
    """An aiohttp.web server on 127.0.0.1 in a thread of its own, so a blocking run can use it.

    `hits` counts requests per item id (read from the JSON body), and `seen`
    keeps (item id, monotonic time, headers) for every request.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.hits: Counter[str] = Counter()
        self.seen: list[tuple[str, float, dict[str, str]]] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body = orjson.loads(raw) if raw else {}
        ident = str(body.get("id", request.path)) if isinstance(body, dict) else request.path
        self.hits[ident] += 1
        self.seen.append((ident, time.monotonic(), dict(request.headers)))
        return await self.handler(request, body, self.hits[ident])

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self.runner = web.AppRunner(app, shutdown_timeout=0.1, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = self.runner.addresses[0][1]

    def start(self) -> Loopback:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    def stop(self) -> None:
        if self.runner is not None:
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], Loopback]]:
    """Start loopback servers with a handler; all are stopped after the test."""
    servers: list[Loopback] = []

    def start(handler: Handler = answer_ok) -> Loopback:
        server = Loopback(handler).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


FIELD_CHECK = {
    "id": "gloss",
    "kind": "field_nonempty",
    "action_item": "INC-1#AI-1",
    "suites": ["release"],
    "corpora": ["regression"],
    "params": {"field": "spanish"},
}


def write_project(
    root: Path,
    target: dict[str, Any],
    *,
    items: int = 10,
    checks: list[dict[str, Any]] | None = None,
) -> Path:
    """A project with one corpus of `items` prompts (rg-1 ...) and the given checks."""
    (root / "checks").mkdir(parents=True)
    (root / "corpora").mkdir()
    (root / "postmortems").mkdir()
    (root / "postmortems" / "INC-1.md").write_text("# INC-1\n")
    (root / "releases").mkdir()
    config = {"name": "svc", "target": target, "suites": {"release": {}}}
    (root / "gate.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    for check in checks or [FIELD_CHECK]:
        (root / "checks" / f"{check['id']}.yaml").write_text(yaml.safe_dump(check))
    lines = [orjson.dumps({"id": f"rg-{n}", "prompt": f"prompt {n}"}) for n in range(1, items + 1)]
    (root / "corpora" / "regression.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return root / "gate.yaml"


def run_gate(config: Path, url: str | None = None) -> RunResult:
    """Load the project and run its release suite, as `gate run` does."""
    project = load_project(config)
    return run_suite(project, "release", target=build_target(project, url_override=url))


def tally_of(result: RunResult, check: str = "gloss") -> dict[str, Any]:
    """The JSON tally of one check, as the report shows it."""
    found = next(item for item in result.results if item.check.id == check)
    assert found.tally is not None
    return found.tally.to_json()


@pytest.fixture
def project(tmp_path: Path) -> Callable[..., Path]:
    """`project(target, items=10, checks=None)`: write a project, return its gate.yaml."""

    def make(target: dict[str, Any], **options: Any) -> Path:
        return write_project(tmp_path / "project", target, **options)

    return make
