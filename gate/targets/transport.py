"""An httpx transport over one aiohttp session, with as little as possible in between.

httpx keeps the target's API (Request, Response, transports); aiohttp moves
the bytes, at a fraction of the CPU per request of httpx's own transport
(benchmarks/http_overhead.py). Compared with httpx_aiohttp's transport this
one skips what the gate never needs per request (proxies, a new timeout
object, URL re-parsing) and maps aiohttp's errors to httpx's precisely, a
dropped connection to ReadError rather than ConnectTimeout.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from types import TracebackType
from typing import Self

import aiohttp
import httpx
from yarl import URL

_EXCEPTIONS: tuple[tuple[type[BaseException], type[httpx.TransportError]], ...] = (
    (aiohttp.ClientConnectorError, httpx.ConnectError),
    (TimeoutError, httpx.ReadTimeout),
    (aiohttp.ClientPayloadError, httpx.ReadError),
    (aiohttp.ServerDisconnectedError, httpx.ReadError),
    (aiohttp.ClientOSError, httpx.ReadError),
    (aiohttp.ClientResponseError, httpx.RemoteProtocolError),
)


def _mapped(exc: BaseException) -> httpx.TransportError:
    for source, target in _EXCEPTIONS:
        if isinstance(exc, source):
            return target(str(exc) or exc.__class__.__name__)
    return httpx.TransportError(str(exc) or exc.__class__.__name__)


class _Body(httpx.AsyncByteStream):
    """A response body read off aiohttp's stream as it arrives."""

    def __init__(self, response: aiohttp.ClientResponse) -> None:
        self.response = response

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self.response.content.iter_any():
                yield chunk
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise _mapped(exc) from exc

    async def aclose(self) -> None:
        self.response.release()


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Sends httpx requests through one aiohttp connection pool of `limit` connections.

    Timeouts: `connect` and `read` (per read) come from the request's
    `timeout` extension as httpx sets it; a whole request's deadline is the
    caller's, around the request and the reading of its body.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._session: aiohttp.ClientSession | None = None
        self._urls: dict[str, URL] = {}
        self._timeouts: dict[tuple[float | None, float | None], aiohttp.ClientTimeout] = {}

    async def __aenter__(self) -> Self:
        self._open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None = None,
        exc: BaseException | None = None,
        tb: TracebackType | None = None,
    ) -> None:
        await self.aclose()

    def _open(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self.limit),
                auto_decompress=False,  # httpx decodes, so its body cap counts decoded bytes
                skip_auto_headers=("User-Agent", "Accept", "Accept-Encoding"),
            )
        return self._session

    def _url(self, url: httpx.URL) -> URL:
        text = str(url)
        found = self._urls.get(text)
        if found is None:
            if len(self._urls) > 64:  # a target asks a handful of URLs; never grow unbounded
                self._urls.clear()
            found = self._urls[text] = URL(text, encoded=True)
        return found

    def _timeout(self, request: httpx.Request) -> aiohttp.ClientTimeout:
        given = request.extensions.get("timeout", {})
        key = (given.get("connect"), given.get("read"))
        found = self._timeouts.get(key)
        if found is None:
            found = self._timeouts[key] = aiohttp.ClientTimeout(
                total=None, sock_connect=key[0], sock_read=key[1]
            )
        return found

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._open()
        try:
            response = await session.request(
                request.method,
                self._url(request.url),
                data=request.content or None,
                headers=[(name.decode(), value.decode()) for name, value in request.headers.raw],
                allow_redirects=False,
                timeout=self._timeout(request),
            )
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise _mapped(exc) from exc
        return httpx.Response(
            response.status,
            headers=response.raw_headers,
            stream=_Body(response),
            request=request,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None
