"""Shared fixtures: small projects on disk, built the way a user would write them, and
loopback HTTP servers whose handlers a test writes."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
import pytest
import yaml
from aiohttp import web
from hypothesis import settings

# Property tests run the same examples on every machine (derandomize), so a red CI
# run reproduces locally, and stay within a small budget. HYPOTHESIS_PROFILE=deep
# searches far more widely, at random, for a run by hand.
settings.register_profile(
    "gate", max_examples=60, deadline=timedelta(seconds=2), derandomize=True, database=None
)
settings.register_profile("deep", max_examples=3000, deadline=None, derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gate"))

if TYPE_CHECKING:
    from tests.bakes import SmokeProject
    from tests.loopback import FakeTutor

REPO = Path(__file__).resolve().parent.parent
INCIDENT = "INC-2026-08-14-tutor-spanish-gloss-missing"
ACTION_ITEM = f"{INCIDENT}#AI-4"

GLOSS_CHECK = """\
id: spanish-gloss-nonempty
kind: field_nonempty
action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-4
suites: [release, smoke]
corpora: [regression]
params:
  field: spanish
  max_failure_rate: 0.02
"""

RECORDED_CONFIG = """\
manifest: releases/v2.3.4.yaml
target:
  type: recorded
  path: recorded.jsonl
suites:
  release: {}
  smoke: {}
"""


def copy_repository(root: Path) -> Path:
    """A copy of this repository's gate inputs and the tutor, to change in a test."""
    for name in ("gate.yaml", "checks", "corpora", "postmortems", "releases"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    # A copy, not a link: a link out of the repository is refused like any other.
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(REPO / "examples", root / "examples", ignore=ignore)
    return root


def write_jsonl(path: Path, rows: Iterable[Mapping[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as stream:
        for row in rows:
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


class ProjectFactory:
    """Writes a small project into a temporary folder, one file at a time."""

    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "checks").mkdir()
        (root / "corpora").mkdir()
        (root / "releases").mkdir()
        (root / "postmortems").mkdir()
        self.write("gate.yaml", RECORDED_CONFIG)
        self.write("releases/v2.3.4.yaml", 'version: "2.3.4"\nmax_decode_tokens: 32\n')
        # Every check must link to a real action item, so each project carries the incident.
        incident = REPO / "postmortems" / f"{INCIDENT}.md"
        self.write(f"postmortems/{incident.name}", incident.read_text(encoding="utf-8"))

    @property
    def config(self) -> Path:
        return self.root / "gate.yaml"

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def corpus(self, name: str, count: int, *, prefix: str = "rg") -> list[str]:
        ids = [f"{prefix}-{index:04d}" for index in range(count)]
        write_jsonl(
            self.root / "corpora" / f"{name}.jsonl",
            (
                {"id": ident, "prompt": f"prompt {ident}", "tags": ["t"], "source": "curated"}
                for ident in ids
            ),
        )
        return ids

    def recorded(self, answers: Mapping[str, Mapping[str, Any]]) -> None:
        write_jsonl(
            self.root / "recorded.jsonl",
            ({"id": ident, "response": body} for ident, body in answers.items()),
        )

    def gloss_run(self, total: int, empty: int) -> None:
        """A regression corpus of `total` items whose first `empty` answers lack a gloss."""
        ids = self.corpus("regression", total)
        self.write("checks/spanish-gloss-nonempty.yaml", GLOSS_CHECK)
        self.recorded(
            {
                ident: {"english": "Fine.", "spanish": "" if index < empty else "Bien."}
                for index, ident in enumerate(ids)
            }
        )


@pytest.fixture
def project(tmp_path: Path) -> ProjectFactory:
    return ProjectFactory(tmp_path)


@pytest.fixture
def chdir(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    def change(path: Path) -> None:
        monkeypatch.chdir(path)

    return change


@pytest.fixture(autouse=True)
def outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as on a laptop even inside a workflow: no summary, annotations or GITHUB_SHA."""
    for name in (
        "GITHUB_ACTIONS",
        "GITHUB_STEP_SUMMARY",
        "GITHUB_OUTPUT",
        "GITHUB_SHA",
        "GITHUB_WORKSPACE",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def tutor() -> Iterator[FakeTutor]:
    """A fake tutor on a loopback port, steerable through its attributes."""
    from tests.loopback import FakeTutor

    with FakeTutor() as server:
        yield server


@pytest.fixture
def smoke(tmp_path: Path, tutor: FakeTutor) -> SmokeProject:
    """A project whose http target is `tutor`, with fixed smoke prompts and a portal log."""
    from tests.bakes import SmokeProject

    return SmokeProject(tmp_path, tutor)


Handler = Callable[[web.Request, dict[str, Any], int], Awaitable[web.StreamResponse]]

GOOD = {"english": "I went to the shop.", "spanish": "Fui a la tienda."}


async def answer_ok(request: web.Request, body: dict[str, Any], hit: int) -> web.StreamResponse:
    """The tutor's happy path: both fields filled."""
    return web.json_response(GOOD)


class Loopback:
    """An aiohttp.web server on 127.0.0.1 in a thread of its own, so a blocking run can use it.

    `hits` counts requests per item id (read from the JSON body), and `seen`
    keeps (item id, monotonic time, headers) for every request.
    """

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.hits: Counter[str] = Counter()
        self.seen: list[tuple[str, float, dict[str, str]]] = []
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: web.AppRunner | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _dispatch(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body = orjson.loads(raw) if raw else {}
        ident = str(body.get("id", request.path)) if isinstance(body, dict) else request.path
        self.hits[ident] += 1
        self.seen.append((ident, time.monotonic(), dict(request.headers)))
        return await self.handler(request, body, self.hits[ident])

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._dispatch)
        self.runner = web.AppRunner(app, shutdown_timeout=0.1, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = self.runner.addresses[0][1]

    def start(self) -> Loopback:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        return self

    def stop(self) -> None:
        if self.runner is not None:
            asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def serve() -> Iterator[Callable[[Handler], Loopback]]:
    """Start loopback servers with a handler; all are stopped after the test."""
    servers: list[Loopback] = []

    def start(handler: Handler = answer_ok) -> Loopback:
        server = Loopback(handler).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


FIELD_CHECK = {
    "id": "gloss",
    "kind": "field_nonempty",
    "action_item": ACTION_ITEM,
    "suites": ["release"],
    "corpora": ["regression"],
    "params": {"field": "spanish"},
}


def write_project(
    root: Path,
    target: dict[str, Any],
    *,
    items: int = 10,
    checks: list[dict[str, Any]] | None = None,
) -> Path:
    """A project with one corpus of `items` prompts (rg-1 ...) and the given checks."""
    (root / "checks").mkdir(parents=True)
    (root / "corpora").mkdir()
    (root / "postmortems").mkdir()
    incident = REPO / "postmortems" / f"{INCIDENT}.md"
    (root / "postmortems" / incident.name).write_text(incident.read_text(encoding="utf-8"))
    (root / "releases").mkdir()
    config = {"name": "svc", "target": target, "suites": {"release": {}}}
    (root / "gate.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    for check in checks or [FIELD_CHECK]:
        (root / "checks" / f"{check['id']}.yaml").write_text(yaml.safe_dump(check))
    lines = [orjson.dumps({"id": f"rg-{n}", "prompt": f"prompt {n}"}) for n in range(1, items + 1)]
    (root / "corpora" / "regression.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    return root / "gate.yaml"


@pytest.fixture
def http_project(tmp_path: Path) -> Callable[..., Path]:
    """`http_project(target, items=10, checks=None)`: write a project, return its gate.yaml."""

    def make(target: dict[str, Any], **options: Any) -> Path:
        return write_project(tmp_path / "project", target, **options)

    return make


@pytest.fixture(scope="session")
def fault_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site folder with the misbehaving kinds of tests/plugins.py, installed by pip."""
    from tests.plugins import install_faults

    return install_faults(tmp_path_factory.mktemp("fault-plugins"))


def gate_cli(project: ProjectFactory, chdir: object, *args: str) -> tuple[int, str]:
    """Run `gate ARGS` in the project's folder, in process; (exit code, output)."""
    from click.testing import CliRunner

    from gate.cli import cli

    chdir(project.root)  # type: ignore[operator]
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


class IncidentRuns:
    """`gate run` of the repository on both releases, as a user runs it, and what it wrote."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.answers = folder / "v2.4.0-answers.jsonl"
        self.report = folder / "v2.4.0.json"
        self.html = folder / "v2.4.0.html"
        self.base = folder / "v2.3.4.json"
        self.outputs: dict[str, tuple[int, str]] = {}

    def gate(self, name: str, *args: str) -> tuple[int, str]:
        import subprocess
        import sys

        done = subprocess.run(
            [sys.executable, "-m", "gate", *args],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        self.outputs[name] = (done.returncode, done.stdout + done.stderr)
        return self.outputs[name]


@pytest.fixture(scope="session")
def incident_runs(tmp_path_factory: pytest.TempPathFactory) -> IncidentRuns:
    """v2.4.0 recorded with every report, and v2.3.4's JSON report: run once per session."""
    runs = IncidentRuns(tmp_path_factory.mktemp("incident-runs"))
    runs.gate(
        "v2.4.0",
        "run",
        "--manifest",
        "releases/v2.4.0.yaml",
        "--record",
        str(runs.answers),
        "--report-json",
        str(runs.report),
        "--report-html",
        str(runs.html),
    )
    runs.gate(
        "v2.3.4", "run", "--manifest", "releases/v2.3.4.yaml", "--report-json", str(runs.base)
    )
    return runs
