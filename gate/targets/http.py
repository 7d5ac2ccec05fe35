"""The http target: a live endpoint, asked once per item, optionally launched by the gate."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncIterator, Iterable, Mapping
from typing import Any, ClassVar, Self

import aiohttp
import httpx
import orjson

from gate import __version__
from gate.corpus import CorpusItem
from gate.errors import TargetError
from gate.targets.base import Answer, Target, TargetEnv, Timing
from gate.targets.blame import UNREACHED
from gate.targets.causes import classify, status_cause
from gate.targets.decode import ACCEPT_ENCODING, BoundedDecoder, TooLarge, UnknownEncoding
from gate.targets.extract import Extractor
from gate.targets.http_settings import SCHEMA, HttpSettings, KeyPath, settings_problems
from gate.targets.launch import Launched
from gate.targets.ratelimit import RateLimiter
from gate.targets.retry import RETRYABLE, parse_retry_after
from gate.targets.secrets import expand_headers, url_credentials
from gate.targets.template import compile_template
from gate.targets.transport import AiohttpTransport

_NETWORK_ERRORS = (httpx.HTTPError, aiohttp.ClientError, OSError, TimeoutError)


class HttpTarget(Target):
    """Sends one request per corpus item and reads a JSON answer back.

    Settings (the `target:` mapping of gate.yaml, `type: http`):
      url: the service's base URL; `gate run --target-url` overrides it.
      path: the endpoint (default /v1/tutor). method: POST (default), PUT or PATCH.
      headers: request headers; `${NAME}` is replaced by the environment variable
        NAME at run time (unset or empty is an error), and its value is masked in
        every output.
      body: the request body template (default {"id": "{id}", "prompt": "{prompt}"}).
      answer_path: a dotted path to the answer inside the response (default: all of it).
      answer_format: json (the answer is an object, or a string holding one) or text.
      preset: openai_chat fills in path, body and answer_path for a chat completions
        server; `model` and `system_prompt` go with it.
      timeout_s: seconds one request may take, body included (default 10).
      deadline_s: seconds the whole run may spend asking; items it leaves are errors.
      retry: attempts (default 3), backoff_s (0.5), backoff_max_s (8) and
        retry_after_max_s (30). Timeouts, refused or reset connections, 5xx and 429
        are tried again with exponential backoff and full jitter, waiting at least
        what Retry-After asks; other 4xx never are.
      max_body_bytes: the largest body read (default 4 MiB). concurrency: requests
        in flight (default 32). max_rps: a ceiling on requests per second.
      launch: command, ready_path and ready_timeout_s to start the service locally.
    Answers come back in corpus order whatever order they arrive in.
    """

    name = "http"
    settings_schema: ClassVar[Mapping[str, Any]] = SCHEMA

    @classmethod
    def check_settings(cls, settings: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
        return settings_problems(settings)

    def __init__(self, settings: Mapping[str, Any], env: TargetEnv) -> None:
        super().__init__(settings, env)
        self.config = HttpSettings.from_settings(settings, env.url_override)
        headers, self._redact = expand_headers(
            self.config.headers, config_path=env.config_path, locate=env.locate
        )
        # A token in the URL's user part (https://ci:token@host) is a secret too.
        self._redact = self._redact.including(url_credentials(self.config.url))
        self.server_failures_fail = self.config.server_failures == "failed"
        self.headers = httpx.Headers(
            {
                "content-type": "application/json",
                "user-agent": f"gate/{__version__}",
                "accept-encoding": ACCEPT_ENCODING,
            }
        )
        self.headers.update(headers)  # case-insensitively: Content-Type replaces the default
        self.render = compile_template(self.config.body)
        self.extract = Extractor(self.config.answer_path, self.config.answer_format, self.redact)
        self.limiter = RateLimiter(self.config.max_rps)
        self.base_url = self.config.url
        self.launched: Launched | None = None
        self.transport: httpx.AsyncBaseTransport | None = None
        self._url = httpx.URL(self.base_url + self.config.path)
        timeout = self.config.timeout_s
        self._extensions = {"timeout": {"connect": timeout, "read": timeout, "pool": timeout}}
        self.requests = self.retries = 0
        self._deadline = math.inf
        self.reached = False  # some request got an HTTP response back
        self.unreachable: str | None = None  # why nothing more is asked
        self._stack = contextlib.AsyncExitStack()

    @property
    def concurrency(self) -> int:
        return self.config.concurrency

    @property
    def launches(self) -> bool:
        """A URL given on the command line wins over launching a local service."""
        return self.env.url_override is None and "launch" in self.settings

    def redact(self, text: str) -> str:
        return self._redact(text) if self._redact else text

    def notes(self) -> list[str]:
        if self.unreachable is not None and not self.reached:
            return [self.unreachable]
        return []

    @property
    def endpoint(self) -> str:
        """`POST http://host/v1/tutor`, secrets masked: how messages name what was asked."""
        return self.redact(f"{self.config.method} {self.base_url}{self.config.path}")

    def describe(self) -> dict[str, Any]:
        config = self.config
        return {
            "type": self.name,
            "url": self.redact(self.base_url + config.path),
            "method": config.method,
            "preset": config.preset,
            "launched": self.launches,
            "concurrency": config.concurrency,
            "max_rps": config.max_rps,
            "timeout_s": config.timeout_s,
            "deadline_s": config.deadline_s,
            "server_failures": config.server_failures,
            "attempts": config.retry.attempts,
            "headers": sorted(config.headers),  # names only: values may be secrets
            "requests": self.requests,
            "retries": self.retries,
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
            # One pool for the whole run. Requests go straight to the transport:
            # AsyncClient.send adds auth, redirect and cookie handling the gate
            # does not use, at a third of the CPU per request, and aiohttp
            # moves bytes at a fraction of httpx's own transport (benchmarks/).
            self.transport = await self._stack.enter_async_context(
                AiohttpTransport(self.concurrency)
            )
        except BaseException:
            await self._stack.aclose()
            raise
        self._url = httpx.URL(self.base_url + self.config.path)
        # Known once per run; httpx would otherwise work it out for every request.
        self.headers.setdefault("host", self._url.netloc.decode("ascii"))
        if self.config.deadline_s is not None:
            self._deadline = asyncio.get_running_loop().time() + self.config.deadline_s
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self._stack.aclose()

    async def ask(self, item: CorpusItem) -> Answer:
        """One item, tried as the retry policy allows; every failure is an Answer with a cause.

        Every failure names the endpoint that was asked. When a request could
        not connect and no request has reached the service yet, the service is
        unreachable: the items after it are not asked, so a wrong URL costs
        seconds, not a retried request for every item.
        """
        if self.unreachable is not None and not self.reached:
            return Answer(None, self.unreachable, "unreachable")
        answer = await self._tried(item)
        if answer.body is not None or answer.cause not in UNREACHED:
            if answer.cause != "deadline":
                self.reached = True
            return answer._replace(error=self.redact(f"{self.endpoint}: {answer.error}"))
        if self.reached:
            return answer._replace(error=self.redact(f"{self.endpoint}: {answer.error}"))
        self.unreachable = self.redact(
            f"{self.endpoint} could not be reached: {answer.error}; later items were not asked"
        )
        return Answer(None, self.unreachable, "unreachable")

    async def _tried(self, item: CorpusItem) -> Answer:
        content = orjson.dumps(self.render(item))
        policy, clock = self.config.retry, asyncio.get_running_loop().time
        tries = 0
        answer = Answer(None, "the run deadline passed before this item was asked", "deadline")
        while clock() < self._deadline:
            await self.limiter.wait()
            tries += 1
            self.requests += 1
            budget = min(self.config.timeout_s, self._deadline - clock())
            answer, retry_after = await self._attempt(content, budget)
            if answer.body is not None:
                return answer
            if answer.cause == "timeout" and budget < self.config.timeout_s:
                answer = Answer(None, "the run deadline passed while this item waited", "deadline")
            if answer.cause not in RETRYABLE or tries >= policy.attempts:
                break
            delay = policy.delay(tries, retry_after)
            if delay is None:
                answer = answer._replace(
                    error=f"{answer.error}; Retry-After {retry_after:g} s is more than "
                    f"retry_after_max_s ({policy.retry_after_max_s:g} s)"
                )
                break
            if clock() + delay >= self._deadline:
                break
            self.retries += 1
            await asyncio.sleep(delay)
        error = f"{answer.error} (after {tries} attempts)" if tries > 1 else answer.error
        return answer._replace(error=error)

    async def _attempt(self, content: bytes, budget: float) -> tuple[Answer, float | None]:
        """One request. An answer that came back carries its Timing, measured around the send."""
        assert self.transport is not None, "use the target inside `async with`"
        try:
            async with asyncio.timeout(budget):
                request = httpx.Request(
                    self.config.method,
                    self._url,
                    content=content,
                    headers=self.headers,
                    extensions=self._extensions,
                )
                sent = time.perf_counter()
                response = await self.transport.handle_async_request(request)
                first_byte = time.perf_counter() - sent
                try:
                    answer, retry_after = await self._read(response)
                finally:
                    await response.aclose()
                # To the microsecond: what a recording keeps, so a replay carries the same.
                timing = Timing(round(first_byte, 6), round(time.perf_counter() - sent, 6))
                return answer._replace(timing=timing), retry_after
        except _NETWORK_ERRORS as exc:
            cause, message = classify(exc, self.config.timeout_s)
            return Answer(None, message, cause), None

    async def _read(self, response: httpx.Response) -> tuple[Answer, float | None]:
        status, limit = response.status_code, self.config.max_body_bytes
        length = response.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            return Answer(
                None, f"the body is {int(length):,} bytes, over {limit:,}", "too_large"
            ), None
        encoding = response.headers.get("content-encoding")
        chunks: list[bytes] = []
        try:
            # A compressed body is decoded a chunk at a time and cut at the cap
            # (gate/targets/decode.py); a plain one is read off the stream as it is.
            decoder = BoundedDecoder(encoding or "", limit)
            async for chunk in response.stream:  # type: ignore[union-attr]
                chunks.append(decoder.feed(chunk))
            chunks.append(decoder.finish())
        except TooLarge:
            return Answer(None, f"the body is over {limit:,} bytes", "too_large"), None
        except UnknownEncoding as exc:
            return Answer(
                None, f"the body is encoded as {exc}, which was not asked for", "not_json"
            ), None
        content = b"".join(chunks)
        if 200 <= status < 300:
            answer = self.extract(content)
            if answer.error.startswith("the body is not"):
                answer = answer._replace(error=f"{answer.error}: {self._shown(response, content)}")
            return answer, None
        snippet = self._snippet(content)
        error = f"HTTP {status}" + (f": {snippet}" if snippet else "")
        return Answer(None, error, status_cause(status)), parse_retry_after(
            response.headers.get("retry-after")
        )

    def _snippet(self, content: bytes) -> str:
        # Masked before it is cut, so no half of a secret an error page echoes survives.
        text = self.redact(content[:4096].decode("utf-8", "replace"))
        return " ".join(text.split())[:200]

    def _shown(self, response: httpx.Response, content: bytes) -> str:
        """`content-type text/html; it begins '<html>...'`: what came back instead of JSON."""
        kind = response.headers.get("content-type") or "not given"
        snippet = self._snippet(content)
        return f"content-type {kind}; " + (f"it begins {snippet!r}" if snippet else "it is empty")

    async def get(self, path: str) -> str:
        """GET `path` (such as /metrics) over the run's pool, headers and timeout included."""
        assert self.transport is not None, "use the target inside `async with`"
        url = self.base_url + path
        headers = self.headers.copy()
        del headers["content-type"]
        try:
            async with asyncio.timeout(self.config.timeout_s):
                request = httpx.Request("GET", url, headers=headers, extensions=self._extensions)
                response = await self.transport.handle_async_request(request)
                try:
                    text = (await response.aread()).decode("utf-8", "replace")
                finally:
                    await response.aclose()
        except _NETWORK_ERRORS as exc:
            _cause, message = classify(exc, self.config.timeout_s)
            raise TargetError(self.redact(f"GET {url}: {message}")) from None
        if response.status_code != 200:
            raise TargetError(f"GET {url}: HTTP {response.status_code}")
        return text

    async def answers(
        self, items: Iterable[CorpusItem]
    ) -> AsyncIterator[tuple[CorpusItem, Answer]]:
        source = iter(items)
        # Answers wait here until every earlier item is answered, so they leave
        # in corpus order; the window bounds how far ahead the workers may run.
        window = asyncio.Semaphore(max(1024, self.concurrency * 32))
        finished: dict[int, tuple[CorpusItem, Answer]] = {}
        wake = asyncio.Event()
        state = {"taken": 0, "running": self.concurrency}
        failures: list[BaseException] = []

        async def worker() -> None:
            try:
                while True:
                    await window.acquire()
                    try:
                        item = next(source)
                    except StopIteration:
                        window.release()
                        return
                    index = state["taken"]
                    state["taken"] = index + 1
                    finished[index] = (item, await self.ask(item))
                    wake.set()
            except Exception as exc:  # a bad corpus line: stop the run with it
                failures.append(exc)
            finally:
                state["running"] -= 1
                wake.set()

        workers = [asyncio.create_task(worker()) for _ in range(self.concurrency)]
        position = 0
        try:
            while True:
                while position in finished:
                    yield finished.pop(position)
                    position += 1
                    window.release()
                if failures:
                    raise failures[0]
                if state["running"] == 0 and position not in finished:
                    break
                wake.clear()
                await wake.wait()
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
