"""Small real HTTP servers on 127.0.0.1 for end-to-end tests, steerable between requests."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

from aiohttp import web

METRICS = """\
# HELP tutor_response_empty_field_total Tutor answers in which the named field was empty.
# TYPE tutor_response_empty_field_total counter
tutor_response_empty_field_total{field="english"} 0.0
tutor_response_empty_field_total{field="spanish"} 3.0
# HELP tutor_responses_total Tutor answers returned with status 200.
# TYPE tutor_responses_total counter
tutor_responses_total 40.0
"""


class LoopbackServer:
    """An aiohttp application served from a thread of its own, on a free loopback port."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.port = 0
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _start(self) -> None:
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def stop(self) -> None:
        """Stop serving (connections are then refused); safe to call twice."""
        if self._loop.is_closed():
            return
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class FakeTutor(LoopbackServer):
    """Speaks the tutor API; a test sets `mode` (and friends) to steer its answers.

    Modes: ok, empty (every gloss blank), 503, 404, not_json, slow (waits
    `delay_s`, then answers ok). `empty_if` blanks the gloss of chosen prompts
    in mode ok. `metrics` is served at /metrics as is.
    """

    def __init__(self) -> None:
        self.mode = "ok"
        self.delay_s = 0.0
        self.empty_if: Callable[[str], bool] = lambda prompt: False
        self.metrics = METRICS
        self.metrics_status = 200
        self.asked: list[str] = []
        self.peers: set[object] = set()  # client (host, port) pairs: one per connection
        app = web.Application()
        app.router.add_post("/v1/tutor", self._tutor)
        app.router.add_get("/metrics", self._metrics)
        app.router.add_get("/healthz", self._healthz)
        super().__init__(app)

    async def _tutor(self, request: web.Request) -> web.StreamResponse:
        payload: dict[str, Any] = await request.json()
        self.asked.append(str(payload.get("id")))
        if request.transport is not None:
            self.peers.add(request.transport.get_extra_info("peername"))
        mode, prompt = self.mode, str(payload.get("prompt"))
        if mode == "503":
            return web.json_response({"error": "overloaded"}, status=503)
        if mode == "404":
            return web.Response(status=404, text="no such route")
        if mode == "not_json":
            return web.Response(text="<html>oops</html>", content_type="text/html")
        if mode == "slow":
            await asyncio.sleep(self.delay_s)
        blank = mode == "empty" or self.empty_if(prompt)
        return web.json_response({"english": prompt, "spanish": "" if blank else "Hola."})

    async def _metrics(self, request: web.Request) -> web.Response:
        return web.Response(
            status=self.metrics_status,
            text=self.metrics,
            content_type="text/plain",
            charset="utf-8",
        )

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.Response(text="ok")


class FakeChat(LoopbackServer):
    """Speaks the chat completions API of vLLM, llama.cpp's server and Ollama.

    Each reply's content is a JSON object holding `field`: a sentence, or ""
    while `empty` is set. `asked` keeps every user message received, and
    `models` every model asked for.
    """

    def __init__(self, field: str = "answer") -> None:
        self.field = field
        self.empty = False
        self.asked: list[str] = []
        self.models: list[str] = []
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._complete)
        super().__init__(app)

    async def _complete(self, request: web.Request) -> web.StreamResponse:
        payload: dict[str, Any] = await request.json()
        self.models.append(str(payload.get("model")))
        self.asked.append(str(payload["messages"][-1]["content"]))
        answer = "" if self.empty else "A short, complete answer."
        return web.json_response(
            {
                "id": f"chatcmpl-{len(self.asked)}",
                "object": "chat.completion",
                "model": payload.get("model"),
                "choices": [
                    {
                        "index": 0,
                        "message": {
                            "role": "assistant",
                            "content": json.dumps({self.field: answer}),
                        },
                        "finish_reason": "stop",
                    }
                ],
            }
        )
