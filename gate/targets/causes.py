"""Why a request failed, in a few words a report can count.

Transport errors: `refused`, `dns` (the host name did not resolve), `tls` (the
TLS handshake failed), `timeout`, `reset`, `transport` (any other network
trouble), `http_5xx`, `http_429`, `http_4xx` (any other status that is not 2xx),
`too_large`. Content errors: `not_json`, `missing_field`. `unreachable` marks an
item not asked because the service could not be reached at all, `deadline` one
the run deadline left unasked or cut short. Whose fault each is: gate/targets/blame.py.
"""

from __future__ import annotations

import socket
import ssl

import aiohttp
import httpx


def status_cause(status: int) -> str:
    """The cause of a response whose status is not 2xx."""
    if status == 429:
        return "http_429"
    if status >= 500:
        return "http_5xx"
    return "http_4xx"


def _chain(exc: BaseException) -> list[BaseException]:
    chain = [exc]
    while chain[-1].__cause__ is not None and len(chain) < 8:
        chain.append(chain[-1].__cause__)
    # aiohttp keeps the socket's own error (a failed DNS lookup, say) beside it.
    chain.extend(
        link.os_error for link in list(chain) if isinstance(link, aiohttp.ClientConnectorError)
    )
    return chain


# The rules in order. httpx's aiohttp transport maps aiohttp's errors coarsely
# (a dropped connection becomes ConnectTimeout), so the errors it wraps are
# asked first and httpx's own classes only when nothing lies beneath them.
_RULES: tuple[tuple[tuple[type[BaseException], ...], str, str], ...] = (
    ((socket.gaierror,), "dns", "the host name could not be resolved"),
    ((ssl.SSLError, aiohttp.ClientSSLError), "tls", "the TLS handshake failed"),
    (
        (aiohttp.ClientConnectorError, ConnectionRefusedError),
        "refused",
        "the connection was refused",
    ),
    ((TimeoutError,), "timeout", "no complete answer within {timeout} s"),
    (
        (
            aiohttp.ServerDisconnectedError,
            aiohttp.ClientPayloadError,
            aiohttp.ClientOSError,
            aiohttp.http_exceptions.HttpProcessingError,
            ConnectionError,
        ),
        "reset",
        "the connection was closed before the answer was complete",
    ),
    ((httpx.ConnectError,), "refused", "the connection could not be made"),
    ((httpx.TimeoutException,), "timeout", "no complete answer within {timeout} s"),
    (
        (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError),
        "reset",
        "the connection was closed before the answer was complete",
    ),
)


def classify(exc: BaseException, timeout_s: float) -> tuple[str, str]:
    """(cause, message) for an exception raised while asking one item."""
    chain = _chain(exc)
    for types, cause, message in _RULES:
        if any(isinstance(link, types) for link in chain):
            return cause, message.format(timeout=f"{timeout_s:g}")
    return "transport", f"transport error: {chain[-1].__class__.__name__}"
