"""A secret used in a header shows in no output of any run: failing, erroring or crashing.

The target's token comes from GATE_TEST_TOKEN. The loopback service echoes the
request headers back in its answers and in its error pages, placed so that the
token straddles the points where the gate cuts long texts short; a plugin kind
quotes the whole answer in an exception. Every byte each run leaves (stdout,
stderr, JSON reports, JUnit, event log, metrics, the GitHub step summary,
outputs and annotations, the rollback hook's output) is then searched for any
eight characters of the token.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web

from gate.status import ExitCode
from tests.conftest import ACTION_ITEM, INCIDENT, REPO, Loopback

SECRET = "gts-5b1f0c9e7a2d4386-sweep"
AUTH = f"Bearer {SECRET}"
CHECKS = [
    {
        "id": "gloss",
        "kind": "field_nonempty",
        "params": {"field": "spanish"},
    },
    {
        # jsonschema quotes the answer, and the gate keeps 200 characters of its message.
        "id": "shape",
        "kind": "json_schema",
        "params": {"schema": {"properties": {"english": {"maxLength": 10}}}},
    },
    {
        # The plugin raises with the whole answer; the gate keeps 300 characters of it.
        "id": "quotes",
        "kind": "quotes_answer",
    },
]


def _straddling(prefix: str, cut: int) -> str:
    """Padding after `prefix` that puts the token's first 12 characters before `cut`."""
    return "z" * (cut - 12 - len(prefix) - len("Bearer "))


async def _echo(request: web.Request, body: dict[str, Any], hit: int) -> web.StreamResponse:
    """Answers in six ways, each of which repeats the request's Authorization header."""
    auth = request.headers.get("Authorization", "")
    headers = json.dumps(dict(request.headers))
    number = int(str(body.get("id", "rg-0")).split("-")[1])
    if number % 6 == 1:  # an error page, with the token across the 200th character
        text = "error page " + _straddling("HTTP 500: error page ", 200) + f"{auth} {headers}"
        return web.Response(status=500, text=text)
    if number % 6 == 2:
        return web.Response(text=f"<html>{headers}</html>", content_type="text/html")
    if number % 6 == 4:
        return web.Response(status=401, text=f"token {auth} is not valid here")
    answer = {
        "echo": _straddling("ValueError: cannot judge {'echo': '", 300) + auth,
        "english": _straddling("english: '", 200 + len("english: ")) + auth,
        "spanish": "" if number % 6 == 5 else auth,
    }
    return web.json_response(answer)


async def _refuse(request: web.Request, body: dict[str, Any], hit: int) -> web.StreamResponse:
    return web.Response(status=503, text=f"upstream refused {request.headers}")


@pytest.fixture
def sweep(tmp_path: Path, fault_site: Path) -> Any:
    """Runs `gate ...` as CI would, with the token set, and keeps everything they leave."""
    servers: list[Loopback] = []
    outputs: list[str] = []
    root = tmp_path / "project"

    def project(handler: Any) -> Loopback:
        server = Loopback(handler).start()
        servers.append(server)
        for folder in ("checks", "corpora", "postmortems", "releases"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        incident = REPO / "postmortems" / f"{INCIDENT}.md"
        (root / "postmortems" / incident.name).write_bytes(incident.read_bytes())
        config = {
            "name": "svc",
            "target": {
                "type": "http",
                "url": server.url,
                "headers": {"Authorization": "Bearer ${GATE_TEST_TOKEN}"},
                "timeout_s": 2,
                "retry": {"attempts": 2, "backoff_s": 0.001, "backoff_max_s": 0.002},
            },
            "suites": {"release": {}, "smoke": {}},
            "smoke": {"corpus": "regression", "interval": "0.05s", "rounds": 2},
        }
        (root / "gate.yaml").write_text(yaml.safe_dump(config))
        for check in CHECKS:
            data = {
                **check,
                "action_item": ACTION_ITEM,
                "suites": ["release", "smoke"],
                "corpora": ["regression"],
                "max_error_rate": 0.5,  # judged, not an error, with a third unanswered
            }
            (root / "checks" / f"{check['id']}.yaml").write_text(yaml.safe_dump(data))
        lines = [json.dumps({"id": f"rg-{n}", "prompt": f"prompt {n}"}) for n in range(1, 13)]
        (root / "corpora" / "regression.jsonl").write_text("\n".join(lines) + "\n")
        return server

    def gate(*args: str, script: str | None = None) -> int:
        command = ["-c", script] if script else ["-m", "gate"]
        env = {
            **os.environ,
            "PYTHONPATH": str(fault_site),
            "GATE_TEST_TOKEN": SECRET,
            "GITHUB_ACTIONS": "true",
            "GITHUB_STEP_SUMMARY": str(tmp_path / "step-summary.md"),
            "GITHUB_OUTPUT": str(tmp_path / "github-output.txt"),
            "GITHUB_WORKSPACE": str(root),
        }
        done = subprocess.run(
            [sys.executable, *command, *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        outputs.append(done.stdout + done.stderr)
        return done.returncode

    yield project, gate, outputs
    for server in servers:
        server.stop()
    texts = [*outputs]
    for path in sorted(tmp_path.rglob("*")):
        if path.is_file():
            texts.append(path.read_bytes().decode("utf-8", "replace"))
    everything = "\n".join(texts)
    pieces = {SECRET[start : start + 8] for start in range(len(SECRET) - 7)}
    leaked = sorted(piece for piece in pieces if piece in everything)
    assert not leaked, f"pieces of the token leaked: {leaked}"


def test_a_failing_run_sharded_runs_and_their_merge(sweep: Any, tmp_path: Path) -> None:
    project, gate, outputs = sweep
    server = project(_echo)
    out = ("--report-json", "r.json", "--junit", "j.xml")
    assert gate("run", *out) == ExitCode.BLOCKED
    for k in (1, 2):
        assert gate("run", "--shard", f"{k}/2", "--report-json", f"s{k}.json") in (1, 3)
    merged = ("--report-json", "m.json", "--junit", "m.xml", "--summary", "m.md")
    assert gate("merge", "s1.json", "s2.json", *merged) == ExitCode.BLOCKED
    assert {headers.get("Authorization") for _, _, headers in server.seen} == {AUTH}
    report = (tmp_path / "project" / "r.json").read_text()
    # The echoes were there to leak, and were masked where they showed.
    assert "HTTP 500: error page zzz" in report and "Bearer ***" in report
    assert "ValueError: cannot judge {'echo': 'zzz" in report
    assert "::error file=checks/quotes.yaml" in outputs[0]
    assert "Bearer ***" in (tmp_path / "step-summary.md").read_text()


def test_an_erroring_run_and_a_bake_rolled_back_by_its_hook(sweep: Any, tmp_path: Path) -> None:
    project, gate, _ = sweep
    project(_refuse)
    assert gate("run", "--report-json", "refused.json") == ExitCode.UNJUDGED
    assert "upstream refused" in (tmp_path / "project" / "refused.json").read_text()
    evidence = ("--event-log", "e.jsonl", "--metrics-file", "m.prom", "--report-json", "b.json")
    hook = ("--on-fail", "echo the hook sees $GATE_TEST_TOKEN")
    # Once the service has answered, its 5xx are the release failing: the hook runs.
    assert gate("smoke", *evidence, *hook) == ExitCode.BLOCKED
    report = json.loads((tmp_path / "project" / "b.json").read_text())
    assert report["bake"]["on_fail"]["output"] == "the hook sees ***\n"


def test_a_bake_against_the_echo_leaves_its_evidence_masked(sweep: Any, tmp_path: Path) -> None:
    project, gate, _ = sweep
    project(_echo)
    evidence = ("--event-log", "e.jsonl", "--metrics-file", "m.prom", "--report-json", "b.json")
    assert gate("smoke", *evidence, "--rounds", "3") == ExitCode.BLOCKED
    assert "Bearer ***" in (tmp_path / "project" / "e.jsonl").read_text()
    assert "gate_smoke_check_items_total" in (tmp_path / "project" / "m.prom").read_text()


CRASH = """\
import sys
import httpx
import gate.targets.transport as transport

async def broken(self, request):
    # A bug deep in the transport whose messages quote the request as it was sent.
    cause = httpx.LocalProtocolError(f"cannot send {request.headers.raw!r}")
    raise RuntimeError(f"transport broke on {dict(request.headers)}") from cause

transport.AiohttpTransport.handle_async_request = broken
from gate.cli import main
sys.argv = ["gate", *sys.argv[1:]]
main()
"""


def test_a_crash_keeps_its_traceback_but_not_the_token(sweep: Any) -> None:
    project, gate, outputs = sweep
    project(_echo)
    assert gate("run", "--report-json", "crash.json", script=CRASH) == ExitCode.UNJUDGED
    stderr = outputs[0]
    assert "Traceback (most recent call last):" in stderr
    assert "httpx.LocalProtocolError: cannot send [" in stderr
    assert "(b'Authorization', b'Bearer ***')" in stderr
    assert "RuntimeError: transport broke on {" in stderr and "'Bearer ***'" in stderr
    assert stderr.endswith(
        "gate: internal error, a bug in the gate or a plugin: the run could not be judged\n"
    )
