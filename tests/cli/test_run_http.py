"""`gate run` against live loopback services: exit codes, the judged counts, and secrets kept."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web

from gate.status import ExitCode

ACTION_ITEM = "INC-2026-08-14-tutor-spanish-gloss-missing#AI-4"
SECRET = "sk-live-7f3a9c2e51d04b8e"
FAST_RETRY = {"attempts": 2, "backoff_s": 0.001, "backoff_max_s": 0.002}
SHORT_GLOSS = {"properties": {"spanish": {"maxLength": 3}}}
SCHEMA_CHECK = {
    "id": "shape",
    "kind": "json_schema",
    "action_item": ACTION_ITEM,
    "suites": ["release"],
    "corpora": ["regression"],
    "params": {
        "schema": {
            "type": "object",
            "required": ["spanish"],
            "properties": {"spanish": {"type": "string", "minLength": 1}},
        }
    },
}


def gate(
    config: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`gate run` in a process of its own, as CI runs it."""
    return subprocess.run(
        [sys.executable, "-m", "gate", "run", "--config", str(config), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
        check=False,
    )


def test_a_secret_header_never_shows_in_any_output_of_a_failing_run(
    serve, http_project, tmp_path: Path
) -> None:
    async def leaky(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        token = request.headers.get("Authorization", "")
        if body["id"] == "rg-1":
            return web.Response(status=401, text=f"token {token} is not valid here")
        if body["id"] == "rg-2":
            return web.Response(status=503, text=f"upstream refused {token}")
        return web.json_response({"english": "x", "spanish": token})

    server = serve(leaky)
    config = http_project(
        {
            "type": "http",
            "url": "http://127.0.0.1:9",
            "headers": {"Authorization": "Bearer ${TUTOR_TOKEN}", "X-Team": "tutor"},
            "retry": FAST_RETRY,
        },
        items=4,
        checks=[{**SCHEMA_CHECK, "max_error_rate": 0.5, "params": {"schema": SHORT_GLOSS}}],
    )
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"
    done = gate(
        config,
        "--target-url",
        server.url,
        "--report-json",
        str(report),
        "--junit",
        str(junit),
        env={"TUTOR_TOKEN": SECRET},
    )
    assert done.returncode == ExitCode.BLOCKED
    assert all(headers["Authorization"] == f"Bearer {SECRET}" for _, _, headers in server.seen)
    outputs = {
        "stdout": done.stdout,
        "stderr": done.stderr,
        "report": report.read_text(),
        "junit": junit.read_text(),
    }
    assert {name: SECRET in text for name, text in outputs.items()} == dict.fromkeys(outputs, False)
    assert "token Bearer *** is not valid here" in done.stdout
    assert "'Bearer ***' is too long" in done.stdout
    assert orjson.loads(outputs["report"])["target"]["headers"] == ["Authorization", "X-Team"]


def test_a_launched_service_that_prints_the_secret_is_masked_too(
    http_project, tmp_path: Path
) -> None:
    blurt = "import os, sys; print('token is', os.environ['TUTOR_TOKEN']); sys.exit(4)"
    config = http_project(
        {
            "type": "http",
            "headers": {"Authorization": "Bearer ${TUTOR_TOKEN}"},
            "launch": {"command": [sys.executable, "-c", blurt]},
        }
    )
    report = tmp_path / "report.json"
    done = gate(config, "--report-json", str(report), env={"TUTOR_TOKEN": SECRET})
    assert done.returncode == ExitCode.UNJUDGED
    assert "token is ***" in done.stdout
    assert SECRET not in done.stdout + done.stderr + report.read_text()


def test_a_missing_variable_is_an_input_error_naming_the_line(http_project) -> None:
    config = http_project(
        {
            "type": "http",
            "url": "http://127.0.0.1:9",
            "headers": {"Authorization": "Bearer ${TUTOR_TOKEN}"},
        }
    )
    env = {key: value for key, value in os.environ.items() if key != "TUTOR_TOKEN"}
    done = subprocess.run(
        [sys.executable, "-m", "gate", "run", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        cwd=config.parent,
        timeout=60,
        check=False,
    )
    assert done.returncode == ExitCode.INPUT_ERROR
    assert done.stderr == (
        "gate: gate.yaml:6: target.headers.Authorization needs the environment variable "
        "TUTOR_TOKEN, which is not set or is empty\n"
        "  fix: export TUTOR_TOKEN before running the gate, or remove the header\n"
    )
    assert done.stdout == ""


def test_target_url_wins_over_launch_and_the_report_says_what_was_judged(
    serve, http_project, tmp_path: Path
) -> None:
    async def flaky(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        if body["id"] == "rg-3":
            return web.Response(status=502, text="bad gateway")
        return web.json_response({"english": "x", "spanish": "" if body["id"] == "rg-4" else "y"})

    server = serve(flaky)
    gloss = {
        "id": "gloss",
        "kind": "field_nonempty",
        "action_item": ACTION_ITEM,
        "suites": ["release"],
        "corpora": ["regression"],
        "max_error_rate": 0.2,
        "params": {"field": "spanish", "max_failure_rate": 0.4},
    }
    config = http_project(
        {
            "type": "http",
            "retry": FAST_RETRY,
            "launch": {"command": ["/nonexistent/tutor", "--port", "{port}"]},
        },
        items=5,
        checks=[gloss],
    )
    report = tmp_path / "report.json"
    done = gate(config, "--target-url", server.url, "--report-json", str(report))
    assert done.returncode == ExitCode.OK, done.stdout + done.stderr
    assert done.stdout.splitlines()[:3] == [
        "PASS     gloss  measured 40.00%   limit <= 40.00%",
        f"         {ACTION_ITEM}, owner Borja",
        "         judged 4 of 5 items (3 passed, 1 failed); 1 errored: http_5xx 1",
    ]
    data = orjson.loads(report.read_bytes())
    assert data["target"]["launched"] is False
    assert data["checks"][0]["tally"]["judged"] == 4
    assert data["checks"][0]["tally"]["causes"] == {"http_5xx": 1}


def test_an_unreachable_target_is_found_fast_and_named(tmp_path: Path) -> None:
    from tests.conftest import REPO

    report = tmp_path / "report.json"
    url = "http://127.0.0.1:9/base"
    done = subprocess.run(
        [sys.executable, "-m", "gate", "run", "--target-url", url, "--report-json", str(report)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == ExitCode.UNJUDGED, done.stdout + done.stderr
    data = orjson.loads(report.read_bytes())
    unreachable = (
        "POST http://127.0.0.1:9/base/v1/tutor could not be reached: the connection was "
        "refused (after 3 attempts); later items were not asked"
    )
    assert data["notes"] == [unreachable]
    gloss = next(c for c in data["checks"] if c["id"] == "spanish-gloss-nonempty")
    assert gloss["tally"]["causes"] == {"unreachable": 338}
    assert gloss["message"] == (
        "zero items were judged: 338 errored items (unreachable 338); the first, rg-0001: "
        f"{unreachable}"
    )
    # Three attempts of the first requests (backoff 0.5 s and 1 s at most), then no
    # request more: about 1.5 s, with 3x headroom for a loaded machine.
    assert data["duration_s"] < 5
    assert data["target"]["requests"] <= 3 * 32  # one window of workers, not 338 x 3


def test_credentials_in_the_target_url_are_masked_everywhere(
    serve, http_project, tmp_path: Path
) -> None:
    async def echo(request: web.Request, body: dict[str, Any], hit: int) -> web.Response:
        seen = request.headers.get("Authorization", "")
        return web.Response(status=503, text=f"denied for {request.url} {seen}")

    server = serve(echo)
    config = http_project({"type": "http", "url": server.url, "retry": FAST_RETRY}, items=3)
    secret_url = server.url.replace("http://", f"http://ci:{SECRET}@")
    report = tmp_path / "report.json"
    done = gate(config, "--target-url", secret_url, "--report-json", str(report))
    assert done.returncode == ExitCode.UNJUDGED
    everything = done.stdout + done.stderr + report.read_text()
    assert SECRET not in everything
    data = orjson.loads(report.read_bytes())
    masked = server.url.replace("http://", "http://ci:***@")
    assert data["target"]["url"] == f"{masked}/v1/tutor"
    assert data["checks"][0]["samples"][0]["reason"].startswith(f"POST {masked}/v1/tutor: HTTP 503")
