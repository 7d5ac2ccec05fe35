"""Decided verdicts, end to end: a check with errored items fails when its failures alone
break the limit, passes only when it would hold if every errored item had failed, and is
otherwise an error that shows both bounds. The tutor's own check and regression corpus
(338 items) are judged against a loopback service that misbehaves as told."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
import yaml
from aiohttp import web
from click.testing import CliRunner

from gate.cli import cli
from gate.status import ExitCode
from tests.conftest import INCIDENT, REPO

FAST_RETRY = {"attempts": 2, "backoff_s": 0.001, "backoff_max_s": 0.002}


def _project(root: Path, url: str) -> Path:
    for folder in ("checks", "corpora", "postmortems", "releases"):
        (root / folder).mkdir(parents=True)
    shutil.copy(REPO / "checks/spanish-gloss-nonempty.yaml", root / "checks")
    shutil.copy(REPO / "corpora/regression.jsonl", root / "corpora")
    shutil.copy(REPO / f"postmortems/{INCIDENT}.md", root / "postmortems")
    config = {
        "name": "tutor",
        "target": {"type": "http", "url": url, "retry": FAST_RETRY},
        "suites": {"release": {}, "smoke": {}},
    }
    (root / "gate.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    return root / "gate.yaml"


def _ids(count: int, start: int = 1) -> set[str]:
    return {f"rg-{number:04d}" for number in range(start, start + count)}


def _run(tmp_path: Path, serve: Any, handler: Callable[..., Any]) -> tuple[int, dict[str, Any]]:
    server = serve(handler)
    config = _project(tmp_path / "project", server.url)
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["run", "--config", str(config), "--report-json", str(report)])
    (check,) = orjson.loads(report.read_bytes())["checks"]
    return result.exit_code, check


def _answer(ident: str, empty: set[str]) -> web.Response:
    return web.json_response({"english": "Fine.", "spanish": "" if ident in empty else "Bien."})


def test_failures_alone_over_the_limit_fail_whatever_the_errored_items(
    tmp_path: Path, serve: Any
) -> None:
    failing, empty = _ids(2), _ids(18, start=101)

    async def handler(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        if body["id"] in failing:
            return web.Response(status=503, text="overloaded")
        return _answer(body["id"], empty)

    code, check = _run(tmp_path, serve, handler)
    assert (code, check["status"]) == (ExitCode.BLOCKED, "fail")
    assert (check["tally"]["failed"], check["tally"]["errored"]) == (18, 2)
    assert check["message"] == (
        "18/338 with 'spanish' missing or blank (5.33%), above 2.00%, even counting the "
        "2 errored items (http_5xx 2) as passed"
    )
    assert check["details"]["bounds"] == {
        "if_errored_passed": pytest.approx(18 / 338),
        "if_errored_failed": pytest.approx(20 / 338),
    }


def test_bodies_that_are_not_json_fail_their_items(tmp_path: Path, serve: Any) -> None:
    garbled = _ids(10, start=200)

    async def handler(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        if body["id"] in garbled:
            return web.Response(text="<html><h1>Oops</h1></html>", content_type="text/html")
        return _answer(body["id"], set())

    code, check = _run(tmp_path, serve, handler)
    assert (code, check["status"]) == (ExitCode.BLOCKED, "fail")
    tally = check["tally"]
    assert (tally["passed"], tally["failed"], tally["errored"]) == (328, 10, 0)
    assert tally["failed_causes"] == {"not_json": 10}
    assert check["message"] == (
        "10/338 failed (2.96%): 10 with no usable answer (not_json 10); above 2.00%"
    )


def test_an_undecided_check_is_an_error_showing_both_bounds(tmp_path: Path, serve: Any) -> None:
    failing, empty = _ids(1), _ids(6, start=300)

    async def handler(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        if body["id"] in failing:
            return web.Response(status=503, text="overloaded")
        return _answer(body["id"], empty)

    code, check = _run(tmp_path, serve, handler)
    assert (code, check["status"]) == (ExitCode.UNJUDGED, "error")
    assert check["message"] == (
        "undecided: the 1 errored item (http_5xx 1) could tip it; counted as passed, "
        "6/338 with 'spanish' missing or blank (1.78%), within 2.00%; counted as failed, "
        "7/338 with 'spanish' missing or blank (2.07%), above 2.00%"
    )


def test_server_failures_can_count_against_the_release(tmp_path: Path, serve: Any) -> None:
    failing = _ids(7)

    async def handler(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        if body["id"] in failing:
            return web.Response(status=502, text="bad gateway")
        return _answer(body["id"], set())

    server = serve(handler)
    config = _project(tmp_path / "project", server.url)
    data = yaml.safe_load(config.read_text())
    data["target"]["server_failures"] = "failed"
    config.write_text(yaml.safe_dump(data))
    report = tmp_path / "report.json"
    result = CliRunner().invoke(cli, ["run", "--config", str(config), "--report-json", str(report)])
    (check,) = orjson.loads(report.read_bytes())["checks"]
    assert (result.exit_code, check["status"]) == (ExitCode.BLOCKED, "fail")
    assert check["tally"]["failed_causes"] == {"http_5xx": 7}
    assert check["message"] == (
        "7/338 failed (2.07%): 7 with no usable answer (http_5xx 7); above 2.00%"
    )
