"""What the http target sends and how it reads what comes back, against a loopback server."""

from __future__ import annotations

import gzip
import tracemalloc
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web

from gate.project import load_project
from gate.results import RunResult
from gate.runner import build_target, run_suite
from gate.status import Status

GOOD = {"english": "I went to the shop.", "spanish": "Fui a la tienda."}


def run(config: Path, url: str) -> RunResult:
    project = load_project(config)
    return run_suite(project, "release", target=build_target(project, url_override=url))


def test_method_headers_and_body_template_are_sent_as_configured(serve, http_project) -> None:
    sent: list[tuple[str, str, dict[str, str], bytes]] = []

    async def record(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        sent.append((request.method, request.path, dict(request.headers), await request.read()))
        return web.json_response({"data": {"answer": GOOD}})

    server = serve(record)
    config = http_project(
        {
            "type": "http",
            "url": "http://127.0.0.1:9",
            "method": "PUT",
            "path": "/api/answer",
            "headers": {"Content-Type": "application/vnd.tutor+json", "X-Team": "tutor"},
            "body": {"input": {"text": "Correct: {prompt}", "ref": "{id}"}, "tags": "{tags}"},
            "answer_path": "data.answer",
        },
        items=1,
    )
    assert run(config, server.url).results[0].status == Status.PASS
    ((method, path, headers, raw),) = sent
    assert (method, path) == ("PUT", "/api/answer")
    assert headers["Content-Type"] == "application/vnd.tutor+json"
    assert headers["X-Team"] == "tutor"
    assert headers["User-Agent"].startswith("gate/")
    assert orjson.loads(raw) == {"input": {"text": "Correct: prompt 1", "ref": "rg-1"}, "tags": []}


def test_a_compressed_answer_is_read_and_capped_after_decoding(serve, http_project) -> None:
    packed = gzip.compress(orjson.dumps({**GOOD, "pad": "x" * 50_000}))

    async def squeeze(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        small = gzip.compress(orjson.dumps(GOOD))
        return web.Response(
            body=small if body["id"] == "rg-1" else packed,
            headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
        )

    server = serve(squeeze)
    config = http_project(
        {"type": "http", "url": "http://127.0.0.1:9", "max_body_bytes": 10_000}, items=2
    )
    (gloss,) = run(config, server.url).results
    assert gloss.tally is not None
    assert gloss.tally is not None
    assert (gloss.tally.passed, gloss.tally.failed, gloss.tally.failed_causes) == (
        1,
        1,
        {"too_large": 1},
    )


def test_a_gzip_bomb_is_too_large_without_being_inflated(serve, http_project) -> None:
    bomb = gzip.compress(b"\0" * 200_000_000, compresslevel=9)  # about 200 KB on the wire

    async def explode(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        return web.Response(
            body=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}
        )

    server = serve(explode)
    config = http_project({"type": "http", "url": "http://127.0.0.1:9"}, items=1)
    tracemalloc.start()
    try:
        (gloss,) = run(config, server.url).results
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert gloss.tally is not None
    assert gloss.tally.failed_causes == {"too_large": 1}
    assert gloss.tally.samples[0].reason == (
        f"POST {server.url}/v1/tutor: the body is over 4,194,304 bytes"
    )
    # Decoding stops at the 4 MiB cap: nothing like the 200 MB the body would inflate to.
    assert peak < 40 * 1024 * 1024


def test_each_answer_is_timed_to_its_headers_and_to_the_end_of_its_body(
    serve, http_project
) -> None:
    import asyncio

    from gate.observers import RunObserver
    from gate.targets.base import AnsweredBlock

    async def slow_body(request: web.Request, body: dict[str, Any], hit: int) -> Any:
        response = web.StreamResponse(headers={"Content-Type": "application/json"})
        await response.prepare(request)  # the status line and headers go out now
        if body["id"] == "rg-2":
            await asyncio.sleep(0.3)  # and the body after a pause
        await response.write(orjson.dumps(GOOD))
        await response.write_eof()
        return response

    class Timings(RunObserver):
        def __init__(self) -> None:
            self.seen: dict[str, Any] = {}

        def answered(self, block: AnsweredBlock, checks: Any) -> None:
            assert block.timings is not None
            self.seen.update(zip([item.id for item in block.items], block.timings, strict=True))

    server = serve(slow_body)
    config = http_project({"type": "http", "url": server.url}, items=2)
    project = load_project(config)
    timings = Timings()
    result = run_suite(project, "release", target=build_target(project), observer=timings)
    assert result.results[0].status == Status.PASS
    quick, slow = timings.seen["rg-1"], timings.seen["rg-2"]
    assert 0 < quick.first_byte_s <= quick.total_s
    # Only lower bounds: a loaded machine makes every figure larger, never smaller.
    assert slow.total_s - slow.first_byte_s >= 0.25
