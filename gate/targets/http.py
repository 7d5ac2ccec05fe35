"""The http target: a live endpoint speaking the tutor API, optionally launched by the gate."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any, ClassVar, Self

import aiohttp
import httpx
import orjson
from httpx_aiohttp import AiohttpTransport

from gate.corpus import CorpusItem
from gate.errors import TargetError
from gate.targets.base import Answer, Target
from gate.targets.launch import Launched

DEFAULT_CONCURRENCY = 32
DEFAULT_TIMEOUT_S = 10.0


class HttpTarget(Target):
    """POSTs `{"id", "prompt"}` for each item and reads a JSON object back.

    Settings: `url` (the service's base URL), `path` (default /v1/tutor),
    `timeout_s`, `concurrency`, and `launch` to start the service locally.
    """

    name = "http"
    settings_schema: ClassVar[Mapping[str, Any]] = {
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
            "timeout_s": {
                "type": "number",
                "exclusiveMinimum": 0,
                "description": "seconds one request may take",
            },
            "concurrency": {
                "type": "integer",
                "minimum": 1,
                "maximum": 1024,
                "description": "requests in flight at once",
            },
            "launch": {
                "type": "object",
                "additionalProperties": False,
                "required": ["command"],
                "description": "how to start the service for a local run",
                "properties": {
                    "command": {
                        "type": "array",
                        "minItems": 1,
                        "items": {"type": "string"},
                        "description": (
                            "the command; the gate fills in {port}, {manifest} and {python}"
                        ),
                    },
                    "ready_path": {"type": "string", "pattern": "^/"},
                    "ready_timeout_s": {"type": "number", "exclusiveMinimum": 0},
                },
            },
        },
    }

    def __init__(self, settings: Mapping[str, Any], env: Any) -> None:
        super().__init__(settings, env)
        self.path: str = settings.get("path", "/v1/tutor")
        self.timeout_s: float = settings.get("timeout_s", DEFAULT_TIMEOUT_S)
        self.concurrency: int = settings.get("concurrency", DEFAULT_CONCURRENCY)
        self.base_url: str = (env.url_override or settings.get("url") or "").rstrip("/")
        self.launched: Launched | None = None
        self.client: httpx.AsyncClient | None = None
        self._stack = contextlib.AsyncExitStack()

    @property
    def launches(self) -> bool:
        """A URL given on the command line wins over launching a local service."""
        return self.env.url_override is None and "launch" in self.settings

    def describe(self) -> dict[str, Any]:
        return {
            "type": self.name,
            "url": self.base_url + self.path,
            "launched": self.launches,
            "concurrency": self.concurrency,
        }

    async def __aenter__(self) -> Self:
        try:
            if self.launches:
                launch = self.settings["launch"]
                manifest = str(self.env.manifest) if self.env.manifest else ""
                self.launched = await self._stack.enter_async_context(
                    Launched(
                        launch["command"],
                        cwd=self.env.root,
                        placeholders={"manifest": manifest},
                        ready_path=launch.get("ready_path", "/healthz"),
                        ready_timeout_s=launch.get("ready_timeout_s", 30.0),
                        config_path=self.env.config_path,
                    )
                )
                self.base_url = self.launched.url
            limits = httpx.Limits(max_connections=self.concurrency)
            self.client = await self._stack.enter_async_context(
                httpx.AsyncClient(
                    transport=AiohttpTransport(limits=limits),
                    timeout=self.timeout_s,
                )
            )
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self._stack.aclose()

    async def ask(self, item: CorpusItem) -> Answer:
        """One request for one item; every failure becomes an Answer with its cause."""
        assert self.client is not None, "use the target inside `async with`"
        body = orjson.dumps({"id": item.id, "prompt": item.prompt})
        try:
            response = await self.client.post(
                self.base_url + self.path,
                content=body,
                headers={"content-type": "application/json"},
            )
        except httpx.TimeoutException as exc:
            # The aiohttp transport reports a refused connection as a connect timeout.
            if isinstance(exc.__cause__, aiohttp.ClientConnectorError):
                return Answer(None, "connection refused", "refused")
            return Answer(None, f"no answer within {self.timeout_s:g} s", "timeout")
        except httpx.ConnectError:
            return Answer(None, "connection refused", "refused")
        except httpx.HTTPError as exc:
            return Answer(None, f"transport error: {exc.__class__.__name__}", "transport")
        if response.status_code != 200:
            return Answer(None, f"HTTP {response.status_code}", f"http_{response.status_code}")
        try:
            value = orjson.loads(response.content)
        except orjson.JSONDecodeError:
            return Answer(None, "the body is not JSON", "not_json")
        if not isinstance(value, dict):
            return Answer(None, "the body is not a JSON object", "not_json")
        return Answer(value)

    async def get(self, path: str) -> str:
        assert self.client is not None, "use the target inside `async with`"
        url = self.base_url + path
        try:
            response = await self.client.get(url)
        except httpx.TimeoutException:
            raise TargetError(f"GET {url}: no answer within {self.timeout_s:g} s") from None
        except httpx.HTTPError as exc:
            raise TargetError(f"GET {url}: {exc.__class__.__name__}") from None
        if response.status_code != 200:
            raise TargetError(f"GET {url}: HTTP {response.status_code}")
        return response.text

    async def answers(
        self, items: Iterable[CorpusItem]
    ) -> AsyncIterator[tuple[CorpusItem, Answer]]:
        source = iter(items)
        done: asyncio.Queue[tuple[CorpusItem, Answer] | None] = asyncio.Queue(self.concurrency * 4)

        async def worker() -> None:
            # Each worker pulls the next item itself, so at most `concurrency`
            # requests are in flight and the corpus is never read ahead.
            try:
                for item in source:
                    await done.put((item, await self.ask(item)))
            finally:
                await done.put(None)

        workers = [asyncio.create_task(worker()) for _ in range(self.concurrency)]
        try:
            running = len(workers)
            while running:
                pair = await done.get()
                if pair is None:
                    running -= 1
                else:
                    yield pair
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
        for task in workers:
            if not task.cancelled() and task.exception() is not None:
                raise task.exception()  # type: ignore[misc]
