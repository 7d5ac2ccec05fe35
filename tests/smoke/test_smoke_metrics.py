"""The bake's metrics: a textfile that real parsers accept, and pushes a real server receives."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp import web
from prometheus_client.parser import text_string_to_metric_families

from gate.smoke.bake import Outputs
from gate.status import ExitCode
from tests.bakes import ACTION_ITEM, SmokeProject, Steer
from tests.loopback import LoopbackServer


class Pushgateway(LoopbackServer):
    """Accepts pushes the way a Pushgateway does, and keeps what it received."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.received: list[tuple[str, str, str, str]] = []  # method, path, type, body
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._push)
        super().__init__(app)

    async def _push(self, request: web.Request) -> web.Response:
        body = (await request.read()).decode("utf-8")
        self.received.append((request.method, request.path, request.content_type, body))
        return web.Response(status=self.status)


def _families(text: str) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    found: dict[str, dict[tuple[tuple[str, str], ...], float]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, {})[tuple(sorted(sample.labels.items()))] = sample.value
    return found


@pytest.fixture
def gateway() -> Iterator[Pushgateway]:
    with Pushgateway() as server:
        yield server


def test_the_metrics_file_parses_and_says_what_happened(
    smoke: SmokeProject, tmp_path: Path
) -> None:
    path = tmp_path / "textfile" / "gate_smoke.prom"
    path.parent.mkdir()
    steer = Steer(smoke.tutor, {2: "empty"})
    _, run = smoke.bake(steer, Outputs(metrics_file=path), rounds=3, limits={"failure_limit": 1})
    assert run.exit_code is ExitCode.OK
    found = _families(path.read_text())
    gloss = (("action_item", ACTION_ITEM), ("check", "spanish-gloss-nonempty"))
    assert found["gate_smoke_check_rounds_total"][(*gloss, ("status", "pass"))] == 2
    assert found["gate_smoke_check_rounds_total"][(*gloss, ("status", "fail"))] == 1
    assert found["gate_smoke_check_items_total"][(*gloss, ("outcome", "failed"))] == 5
    assert found["gate_smoke_check_measured"][gloss] == 0.0  # the last round's
    assert found["gate_smoke_check_failed_rounds"][gloss] == 1
    assert found["gate_smoke_bake_progress_ratio"][()] == 1.0
    assert found["gate_smoke_bake_rounds_planned"][()] == 3
    assert found["gate_smoke_detection_bound_seconds"][()] == 0.1
    outcome = found["gate_smoke_bake_outcome"]
    assert {labels[0][1]: value for labels, value in outcome.items()} == {
        "running": 0,
        "pass": 1,
        "fail": 0,
        "inconclusive": 0,
    }
    assert not [name for name in found if name.endswith("_created")]
    assert list(path.parent.iterdir()) == [path]  # no temporary file left beside it


def test_promtool_accepts_the_metrics_file(smoke: SmokeProject, tmp_path: Path) -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.fail("promtool is not installed: run scripts/install-test-deps.sh (make test does)")
    path = tmp_path / "gate_smoke.prom"
    smoke.bake(outputs=Outputs(metrics_file=path), rounds=2)
    checked = subprocess.run(
        [promtool, "check", "metrics"],
        input=path.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert (checked.returncode, checked.stdout, checked.stderr) == (0, b"", b"")


def test_pushes_reach_the_gateway(smoke: SmokeProject, gateway: Pushgateway) -> None:
    _, run = smoke.bake(outputs=Outputs(pushgateway=gateway.url), rounds=2)
    assert run.exit_code is ExitCode.OK
    # One push as the bake starts, one after each round, one with the outcome.
    assert len(gateway.received) == 4
    methods = {(method, path, kind) for method, path, kind, _ in gateway.received}
    assert methods == {("PUT", "/metrics/job/gate_smoke/service/tutor/suite/smoke", "text/plain")}
    first, last = _families(gateway.received[0][3]), _families(gateway.received[-1][3])
    assert first["gate_smoke_bake_outcome"][(("outcome", "running"),)] == 1
    assert last["gate_smoke_bake_outcome"][(("outcome", "pass"),)] == 1
    assert last["gate_smoke_bake_rounds"][()] == 2


def test_a_failing_gateway_is_noted_and_decides_nothing(smoke: SmokeProject) -> None:
    with Pushgateway(status=500) as broken:
        _, run = smoke.bake(outputs=Outputs(pushgateway=broken.url), rounds=1)
    assert run.exit_code is ExitCode.OK
    # A loaded machine may add a note that a round ran late; the Pushgateway's is the point.
    assert [note for note in run.notes if not note.startswith("round ")] == [
        "the Pushgateway could not be reached: HTTPError: HTTP Error 500: Internal Server Error",
    ]
