"""The Prometheus query API as the gate reads it: every answer shape, every way to fail."""

from __future__ import annotations

import asyncio
import json
import math
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiohttp import web

from gate.config import load_config
from gate.errors import InputError, InputErrors
from gate.prometheus import Prometheus, PrometheusError, build_prometheus
from gate.targets.launch import free_port
from tests.conftest import ProjectFactory
from tests.loopback import LoopbackServer

URL = "http://prometheus.test:9090"


def _answering(status: int, content: bytes, content_type: str = "application/json") -> Prometheus:
    """A client whose server answers every query with this status and body."""

    def handle(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers={"content-type": content_type})

    return Prometheus(URL, transport=httpx.MockTransport(handle))


def _json(status: int, body: Any) -> Prometheus:
    return _answering(status, json.dumps(body).encode())


def _failure(client: Prometheus) -> str:
    with pytest.raises(PrometheusError) as raised:
        client.query("up")
    return str(raised.value)


def test_a_vector_is_read_with_its_labels_and_nan_and_inf_kept() -> None:
    body = {
        "status": "success",
        "data": {
            "resultType": "vector",
            "result": [
                {"metric": {"instance": "a"}, "value": [1786000000.5, "0.25"]},
                {"metric": {"instance": "b"}, "value": [1786000000.5, "NaN"]},
                {"metric": {}, "value": [1786000000.5, "+Inf"]},
            ],
        },
    }
    result = _json(200, body).query("x")
    assert result.type == "vector"
    assert result.at == 1786000000.5
    assert [dict(s.labels) for s in result.series] == [{"instance": "a"}, {"instance": "b"}, {}]
    values = [s.value for s in result.series]
    assert values[0] == 0.25 and math.isnan(values[1]) and values[2] == math.inf


def test_a_scalar_is_one_series_without_labels() -> None:
    body = {"status": "success", "data": {"resultType": "scalar", "result": [1786000000, "3"]}}
    result = _json(200, body).query("scalar(x)")
    assert (result.type, [(dict(s.labels), s.value) for s in result.series]) == (
        "scalar",
        [({}, 3.0)],
    )


def test_the_query_and_a_server_side_timeout_are_sent_as_a_form() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200, json={"status": "success", "data": {"resultType": "vector", "result": []}}
        )

    client = Prometheus(URL + "/prom/", timeout_s=4, transport=httpx.MockTransport(handle))
    assert client.query('sum(x{a="b"})').series == ()
    (request,) = seen
    assert str(request.url) == "http://prometheus.test:9090/prom/api/v1/query"
    assert request.method == "POST"
    form = httpx.QueryParams(request.content.decode())
    assert (form["query"], form["timeout"]) == ('sum(x{a="b"})', "4s")


def test_prometheus_own_error_message_is_kept() -> None:
    body = {
        "status": "error",
        "errorType": "bad_data",
        "error": 'invalid parameter "query": 1:16: parse error: unclosed left parenthesis',
    }
    assert _failure(_json(400, body)) == (
        'Prometheus answered HTTP 400 (bad_data): invalid parameter "query": 1:16: parse '
        "error: unclosed left parenthesis"
    )
    timeout = {"status": "error", "errorType": "timeout", "error": "query timed out in expression"}
    assert _failure(_json(503, timeout)) == (
        "Prometheus answered HTTP 503 (timeout): query timed out in expression"
    )


@pytest.mark.parametrize(
    ("status", "content", "content_type", "message"),
    [
        (
            200,
            b"<html><body><h1>Sign in</h1></body></html>",
            "text/html",
            "answered HTTP 200 with a body that is not JSON: <html><body><h1>Sign in</h1>"
            "</body></html>",
        ),
        (200, b"", "text/plain", "answered HTTP 200 with a body that is not JSON (empty)"),
        (200, b"   \n", "text/plain", "answered HTTP 200 with a body that is not JSON (empty)"),
        (
            502,
            b"Bad Gateway",
            "text/plain",
            "answered HTTP 502 with a body that is not JSON: Bad Gateway",
        ),
        (
            200,
            b"null",
            "application/json",
            "answered with a body of another shape than the "
            "query API's (the body: None is not of type 'object')",
        ),
        (
            200,
            b'{"status": "success"}',
            "application/json",
            "answered with a body of another "
            "shape than the query API's (the body: 'data' is a required property)",
        ),
        (
            200,
            b'{"status": "success", "data": null}',
            "application/json",
            "answered with a body "
            "of another shape than the query API's (data: None is not of type 'object')",
        ),
        (
            200,
            b'{"status": "success", "data": {"resultType": "vector", "result": "0.3"}}',
            "application/json",
            "answered with a body of another shape than the query API's "
            "(data.result: '0.3' is not of type 'array')",
        ),
        (
            200,
            b'{"status": "success", "data": {"resultType": "vector", "result": '
            b'[{"metric": {}, "value": [1, 0.3]}]}}',
            "application/json",
            "answered with a body of "
            "another shape than the query API's (data.result.0.value.1: 0.3 is not of type "
            "'string')",
        ),
        (
            200,
            b'{"status": "success", "data": {"resultType": "vector", "result": '
            b'[{"metric": {}, "value": [1, "lots"]}]}}',
            "application/json",
            "answered 'lots', not a number",
        ),
        (
            200,
            b'{"status": "fine", "data": {"resultType": "vector", "result": []}}',
            "application/json",
            "answered with a body of another shape than the query API's "
            "(status: 'fine' is not one of ['success', 'error'])",
        ),
        (
            503,
            b'{"status": "success", "data": {"resultType": "vector", "result": []}}',
            "application/json",
            "answered HTTP 503",
        ),
    ],
)
def test_every_bad_answer_is_an_error_in_words(
    status: int, content: bytes, content_type: str, message: str
) -> None:
    assert _failure(_answering(status, content, content_type)) == f"Prometheus at {URL} {message}"


def test_a_range_vector_says_how_to_make_it_a_number() -> None:
    body = {"status": "success", "data": {"resultType": "matrix", "result": []}}
    assert _failure(_json(200, body)) == (
        "the query returned a matrix, not a number or series: an instant query must end in a "
        "function such as rate() or sum(), not in a range [..]"
    )


def test_a_prometheus_that_is_down_is_an_error_naming_it() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with Prometheus(url) as client, pytest.raises(PrometheusError) as raised:
        client.query("up")
    assert str(raised.value).startswith(f"cannot reach Prometheus at {url}: ")


def _server(handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> LoopbackServer:
    app = web.Application()
    app.router.add_post("/api/v1/query", handler)
    return LoopbackServer(app)


def test_a_slow_prometheus_is_an_error_after_the_timeout() -> None:
    async def slow(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(2)
        return web.json_response({})

    with (
        _server(slow) as server,
        Prometheus(server.url, timeout_s=0.2) as client,
        pytest.raises(PrometheusError) as raised,
    ):
        client.query("up")
    assert str(raised.value) == f"Prometheus at {server.url} did not answer within 0.2 s"


def test_a_header_secret_echoed_in_an_error_is_masked(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []

    async def echo(request: web.Request) -> web.StreamResponse:
        seen.append(request.headers["Authorization"])
        return web.Response(status=401, text=f"bad token {request.headers['Authorization']}")

    with _server(echo) as server:
        _echoed(server, project, monkeypatch)
    assert seen == ["Bearer s3cr3t-prom-token"]


def _echoed(
    server: LoopbackServer, project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROM_TOKEN", "s3cr3t-prom-token")
    project.write(
        "gate.yaml",
        project.config.read_text()
        + 'prometheus:\n  url: URL\n  headers: {Authorization: "Bearer ${PROM_TOKEN}"}\n'.replace(
            "URL", server.url
        ),
    )
    client = build_prometheus(load_config(project.config))
    assert client is not None
    with client:
        assert client.describe() == {
            "url": server.url,
            "headers": ["Authorization"],
            "timeout_s": 10.0,
        }
        message = _failure(client)
    assert message == (
        f"Prometheus at {server.url} answered HTTP 401 with a body that is not JSON: "
        "bad token Bearer ***"
    )


def test_a_missing_header_secret_names_its_line(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PROM_TOKEN", raising=False)
    project.write(
        "gate.yaml",
        project.config.read_text()
        + "prometheus:\n  url: http://127.0.0.1:9090\n"
        + '  headers:\n    Authorization: "Bearer ${PROM_TOKEN}"\n',
    )
    with pytest.raises(InputError) as raised:
        build_prometheus(load_config(project.config))
    assert str(raised.value) == (
        f"{project.config}:11: prometheus.headers.Authorization needs the environment variable "
        "PROM_TOKEN, which is not set or is empty\n"
        "  fix: export PROM_TOKEN before running the gate, or remove the header"
    )


def test_no_url_anywhere_is_no_prometheus(project: ProjectFactory) -> None:
    assert build_prometheus(load_config(project.config)) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("prometheus:9090", "is not an http or https URL"),
        ("http://", "is not an http or https URL"),
        ("http://a b:9090", "is not an http or https URL"),
        ("http://[::1", "is not a URL: Invalid IPv6 URL"),
        ("http://127.0.0.1:99999", "is not a URL: Port out of range 0-65535"),
    ],
)
def test_a_prometheus_url_that_is_not_http_is_a_usage_error(
    project: ProjectFactory, url: str, problem: str
) -> None:
    with pytest.raises(InputError) as raised:
        build_prometheus(load_config(project.config), url)
    assert str(raised.value) == (
        f"--prometheus-url '{url}' {problem}\n"
        "  fix: give the Prometheus server's base URL, such as http://127.0.0.1:9090"
    )
    if not url.startswith("http"):
        return  # gate.yaml's schema asks for http(s)://
    # The same URL in gate.yaml is refused as the file loads, naming its line.
    project.write("gate.yaml", project.config.read_text() + f"prometheus:\n  url: '{url}'\n")
    with pytest.raises(InputErrors) as refused:
        load_config(project.config)
    assert [str(error) for error in refused.value.errors] == [
        f"{project.config}:9: prometheus.url '{url}' {problem}\n"
        "  fix: give the server's base URL, such as http://prometheus.monitoring:9090"
    ]


@pytest.mark.parametrize(
    ("section", "message"),
    [
        (
            "prometheus: {url: prometheus:9090}\n",
            "gate.yaml:8:14: 'prometheus.url': 'prometheus:9090' does not match '^https?://'\n"
            "  fix: 'prometheus.url' is the server's base URL, such as "
            "http://prometheus.monitoring:9090",
        ),
        (
            "prometheus: {url: 'http://p:9090', timeout: 5}\n",
            "gate.yaml:8:36: unknown key 'timeout' in prometheus\n"
            "  fix: did you mean 'timeout_s'? allowed keys here: headers, timeout_s, url",
        ),
        (
            "prometheus:\n  headers: {Authorization: 'Bearer ${PROM TOKEN}'}\n",
            "gate.yaml:9: prometheus.headers.Authorization has '${PROM TOKEN}', which is not an "
            "environment variable name",
        ),
    ],
)
def test_the_prometheus_section_is_held_to_its_schema(
    project: ProjectFactory, section: str, message: str
) -> None:
    project.write("gate.yaml", project.config.read_text() + section)
    with pytest.raises(InputErrors) as raised:
        load_config(project.config)
    assert str(raised.value) == (
        f"{project.root}/{message}\n1 problem in the gate's input; nothing was run."
    )


def test_the_section_is_read(project: ProjectFactory, tmp_path: Path) -> None:
    project.write(
        "gate.yaml",
        project.config.read_text() + "prometheus: {url: 'http://p:9090', timeout_s: 3}\n",
    )
    client = build_prometheus(load_config(project.config))
    assert client is not None
    with client:
        assert client.describe() == {"url": "http://p:9090", "headers": [], "timeout_s": 3.0}
