"""A Prometheus server's HTTP API as the gate asks it: instant queries, read by their documented
shape, every failure a PrometheusError in words that carry Prometheus's own message."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Self

import httpx
import jsonschema

from gate import __version__
from gate.config import GateConfig
from gate.errors import GateError, require_http_url
from gate.targets.secrets import expand_headers

DEFAULT_TIMEOUT_S = 10.0

# The envelope of /api/v1/query as Prometheus documents it. A value is a pair of
# a Unix time and a string, because JSON cannot hold NaN or +Inf.
_VALUE = {
    "type": "array",
    "prefixItems": [{"type": "number"}, {"type": "string"}],
    "minItems": 2,
    "maxItems": 2,
}
_RESPONSE = {
    "type": "object",
    "required": ["status"],
    "properties": {
        "status": {"enum": ["success", "error"]},
        "error": {"type": "string"},
        "errorType": {"type": "string"},
        "warnings": {"type": "array", "items": {"type": "string"}},
        "data": {
            "type": "object",
            "required": ["resultType", "result"],
            "properties": {"resultType": {"enum": ["vector", "scalar", "matrix", "string"]}},
        },
    },
}
_VECTOR = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["metric", "value"],
        "properties": {
            "metric": {"type": "object", "additionalProperties": {"type": "string"}},
            "value": _VALUE,
        },
    },
}
_SHAPES = {
    "response": jsonschema.Draft202012Validator(_RESPONSE),
    "success": jsonschema.Draft202012Validator({"required": ["data"]}),
    "vector": jsonschema.Draft202012Validator(_VECTOR),
    "scalar": jsonschema.Draft202012Validator(_VALUE),
}


class PrometheusError(GateError):
    """The query could not be answered: Prometheus unreachable, slow, or saying why not."""


@dataclass(frozen=True)
class Series:
    """One sample of an instant query's result: its labels and its value (NaN and Inf kept)."""

    labels: Mapping[str, str]
    value: float


@dataclass(frozen=True)
class QueryResult:
    """An instant query's answer: `vector` (any number of series) or `scalar` (one, no labels)."""

    type: str
    series: tuple[Series, ...]
    at: float  # the evaluation time, Unix seconds
    warnings: tuple[str, ...] = ()


class Prometheus:
    """A Prometheus server's HTTP API, one connection pool for a run or a whole bake.

    Args:
      url: the server's base URL, such as http://127.0.0.1:9090 (a path prefix is kept).
      headers: request headers, already expanded from the environment.
      timeout_s: how long one query may take, on the wire and on the server.
      redact: masks the header secrets in every message this client makes.
      transport: an httpx transport to use instead of the network (unit tests).
    """

    def __init__(
        self,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        redact: Callable[[str], str] = str,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.header_names = sorted(headers or {})
        self.timeout_s = timeout_s
        self.redact = redact
        self._client = httpx.Client(
            headers={"user-agent": f"gate/{__version__}", **(headers or {})},
            timeout=timeout_s,
            transport=transport,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    def describe(self) -> dict[str, Any]:
        """What a report says about this server; header names only, never their values."""
        return {"url": self.url, "headers": self.header_names, "timeout_s": self.timeout_s}

    def query(self, promql: str) -> QueryResult:
        """Evaluate `promql` now; raises PrometheusError with the reason it could not be."""
        endpoint = f"{self.url}/api/v1/query"
        # Prometheus's own limit stops a heavy query on the server before ours gives up.
        form = {"query": promql, "timeout": f"{self.timeout_s:g}s"}
        try:
            response = self._client.post(endpoint, data=form)
        except httpx.TimeoutException:
            waited = f"did not answer within {self.timeout_s:g} s"
            raise self._error(f"Prometheus at {self.url} {waited}") from None
        except httpx.HTTPError as exc:
            reason = str(exc) or type(exc).__name__
            raise self._error(f"cannot reach Prometheus at {self.url}: {reason}") from None
        return self._read(response)

    def _error(self, message: str) -> PrometheusError:
        return PrometheusError(self.redact(message))

    def _read(self, response: httpx.Response) -> QueryResult:
        status = response.status_code
        try:
            body = response.json()
        except ValueError:
            snippet = " ".join(self.redact(response.text[:2048]).split())[:200]
            what = "a body that is not JSON" + (f": {snippet}" if snippet else " (empty)")
            raise self._error(
                f"Prometheus at {self.url} answered HTTP {status} with {what}"
            ) from None
        problem = _shape_problem("response", body)
        if problem is None and body["status"] == "error":
            # Prometheus's own words: a PromQL syntax error, a timeout, too many samples.
            kind = f" ({body['errorType']})" if body.get("errorType") else ""
            said = body.get("error", "no message")
            raise self._error(f"Prometheus answered HTTP {status}{kind}: {said}")
        problem = problem or _shape_problem("success", body)
        if status != 200:
            raise self._error(f"Prometheus at {self.url} answered HTTP {status}")
        if problem is not None:
            raise self._error(f"Prometheus at {self.url} answered with {problem}")
        return self._result(body)

    def _result(self, body: Mapping[str, Any]) -> QueryResult:
        data = body["data"]
        kind, raw = data["resultType"], data["result"]
        if kind not in _SHAPES:
            raise self._error(
                f"the query returned a {kind}, not a number or series: an instant query "
                "must end in a function such as rate() or sum(), not in a range [..]"
            )
        problem = _shape_problem(kind, raw, at="data.result")
        if problem is not None:
            raise self._error(f"Prometheus at {self.url} answered with {problem}")
        pairs = [(s["metric"], s["value"]) for s in raw] if kind == "vector" else [({}, raw)]
        series = []
        for labels, (_time, text) in pairs:
            value = _number(text)
            if value is None:
                raise self._error(f"Prometheus at {self.url} answered {text!r}, not a number")
            series.append(Series(labels, value))
        at = pairs[0][1][0] if pairs else 0.0
        return QueryResult(kind, tuple(series), float(at), tuple(body.get("warnings", ())))


def _number(text: str) -> float | None:
    # Prometheus writes NaN, +Inf and -Inf as such; float() reads them and nothing stranger.
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) or text.lstrip("+-") in ("Inf", "NaN") else None


def _shape_problem(shape: str, value: Any, at: str = "") -> str | None:
    error = jsonschema.exceptions.best_match(_SHAPES[shape].iter_errors(value))
    if error is None:
        return None
    where = ".".join([at] * bool(at) + [str(part) for part in error.absolute_path])
    return f"a body of another shape than the query API's ({where or 'the body'}: {error.message})"


def build_prometheus(config: GateConfig, url_override: str | None = None) -> Prometheus | None:
    """The Prometheus of gate.yaml's `prometheus:` section, or of --prometheus-url; None if neither.

    A header's `${NAME}` is read from the environment here, so a missing secret
    stops the command before anything is asked (exit 2), and its value is masked.
    """
    settings = config.prometheus
    if url_override is not None:
        example = "the Prometheus server's base URL, such as http://127.0.0.1:9090"
        require_http_url("--prometheus-url", url_override, example)
    url = url_override or settings.get("url")
    if url is None:
        return None
    headers, redact = expand_headers(
        settings.get("headers", {}),
        config_path=config.path,
        locate=lambda key_path: config.locate(*key_path),
        section="prometheus",
    )
    return Prometheus(
        url,
        headers=headers,
        timeout_s=float(settings.get("timeout_s", DEFAULT_TIMEOUT_S)),
        redact=redact if redact else str,
    )
