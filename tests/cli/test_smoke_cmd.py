"""`gate smoke` from the command line: exit codes by name, key lines, and signals."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.cli.smoke_display import LiveDisplay, display_for
from gate.status import ExitCode
from tests.bakes import ACTION_ITEM, SmokeProject
from tests.conftest import REPO


def _smoke(smoke: SmokeProject, chdir: Any, *args: str) -> tuple[int, str]:
    chdir(smoke.root)
    result = CliRunner().invoke(cli, ["smoke", *args])
    return result.exit_code, result.output


def test_a_passing_bake(smoke: SmokeProject, chdir: Any) -> None:
    code, output = _smoke(smoke, chdir, "--seed", "4", "--sample-from", "portal-log.jsonl")
    assert code == ExitCode.OK
    lines = output.splitlines()
    assert lines[0] == (
        "gate smoke: suite smoke, 3 rounds every 0.05 s after 0 s; 5 fixed prompts a round, "
        "5 sampled from portal-log.jsonl (seed 4)"
    )
    assert lines[1] == (
        "gate smoke: worst-case detection 0.05 s after the deploy = initial_delay 0 s + "
        "interval 0.05 s x (failure_limit 0 + 1); a regression that starts mid-bake, within "
        "0.05 s of its start plus one round"
    )
    assert lines[2].startswith("round 1/3 PASS in ")
    assert lines[2].endswith(": 10 prompts, all answered; worst so far pass; ends in about 0.1 s")
    at = lines.index("  PASS     spanish-gloss-nonempty  measured 0.00%    limit <= 2.00%")
    assert lines[at + 1] == f"           {ACTION_ITEM}, owner Borja"
    assert lines[-1] == "BAKE PASS: every deciding check passed 3 rounds"


def test_a_failing_bake_gives_the_rollback_signal(smoke: SmokeProject, chdir: Any) -> None:
    smoke.tutor.mode = "empty"
    code, output = _smoke(smoke, chdir, "--rounds", "5", "--report-json", "out/report.json")
    assert code == ExitCode.BLOCKED
    assert (
        "LIMIT spanish-gloss-nonempty: 1 failed round, above failure_limit 0 in round 1 "
        f"[{ACTION_ITEM}]: rollback signal"
    ) in output.splitlines()
    assert "BAKE FAIL: spanish-gloss-nonempty: 1 failed round, above failure_limit 0" in output
    assert "rollback signal " in output and " after the bake started" in output
    assert output.splitlines()[-1] == "report: out/report.json"
    report = json.loads((smoke.root / "out" / "report.json").read_text())
    assert report["bake"]["outcome"] == "fail"
    assert report["bake"]["detection"]["action_item"] == ACTION_ITEM


def test_the_target_must_be_live(smoke: SmokeProject, chdir: Any) -> None:
    smoke.write(
        "gate.yaml", "target: {type: recorded, path: r.jsonl}\nsuites: {release: {}, smoke: {}}\n"
    )
    code, output = _smoke(smoke, chdir)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate: gate.yaml:1: gate smoke watches a live service, but the target is 'recorded'\n"
        "  fix: use an http target, or pass --target-url with the deployed service's URL\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--duration", "5m", "--rounds", "3"],
            "Error: give --duration or --rounds, not both",
        ),
        (
            ["--interval", "soon"],
            "Error: Invalid value for '--interval': 'soon' is not a duration: "
            "write 90, 90s, 5m or 1m30s",
        ),
        (["--interval", "0s"], "Error: Invalid value for '--interval': must be above 0"),
        (
            ["--pushgateway", "localhost:9091"],
            "Error: Invalid value for --pushgateway: must start with http:// or https://",
        ),
    ],
)
def test_usage_errors(smoke: SmokeProject, chdir: Any, args: list[str], message: str) -> None:
    code, output = _smoke(smoke, chdir, *args)
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines()[-1] == message


def test_an_unknown_dry_run_check(smoke: SmokeProject, chdir: Any) -> None:
    code, output = _smoke(smoke, chdir, "--dry-run", "gloss")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate: --dry-run gloss: the suite 'smoke' has no such check; "
        "checks: response-shape, spanish-gloss-nonempty\n"
    )


def test_a_metrics_file_that_cannot_be_written(smoke: SmokeProject, chdir: Any) -> None:
    code, output = _smoke(smoke, chdir, "--metrics-file", "missing/gate.prom")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "gate: missing/gate.prom: cannot write the metrics file: No such file or directory\n"
    )


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_the_live_display(smoke: SmokeProject) -> None:
    stream = _Terminal()
    display = display_for(stream)
    assert isinstance(display, LiveDisplay)
    with display:
        bake, run = smoke.bake(display, rounds=2)
    display.finished(bake, run)
    text = stream.getvalue()
    assert "round 2/2 PASS in " in text
    assert "BAKE PASS: every deciding check passed 2 rounds" in text


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_mid_bake_is_inconclusive_with_the_evidence_whole(
    smoke: SmokeProject, signum: signal.Signals
) -> None:
    events = smoke.root / "events.jsonl"
    report = smoke.root / "report.json"
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "gate", "smoke", "--rounds", "200", "--interval", "0.05"),
            *("--event-log", str(events), "--report-json", str(report)),
        ],
        cwd=smoke.root,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if events.exists() and events.read_text().count('"event":"round"') >= 2:
            break
        time.sleep(0.02)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=20)
    assert process.returncode == ExitCode.UNJUDGED, stderr
    lines = [json.loads(line) for line in events.read_text().splitlines()]
    rounds = [line["round"] for line in lines if line["event"] == "round"]
    assert rounds == list(range(1, len(rounds) + 1))
    assert lines[-1]["event"] == "bake_finished"
    assert lines[-1]["outcome"] == "inconclusive"
    assert lines[-1]["cut_short"] == signum.name
    written = json.loads(report.read_text())
    assert written["verdict"] == "error"
    assert written["bake"]["outcome"] == "inconclusive"
    assert written["bake"]["reason"] == (
        f"cut short by {signum.name} after {len(rounds)} of 200 rounds: "
        "a bake that did not finish cannot pass"
    )
    assert len(written["rounds"]) == len(rounds)
    # The round in flight when the signal came is dropped whole: what remains adds up.
    assert written["accounting"]["holds"] is True
    for check in written["checks"]:
        per_round = [
            entry["tally"]["total"]
            for record in written["rounds"]
            for entry in record["checks"]
            if entry["check"] == check["id"]
        ]
        assert check["tally"]["total"] == sum(per_round)
        tally = check["tally"]
        assert tally["passed"] + tally["failed"] + tally["errored"] == tally["total"]
    assert b"BAKE INCONCLUSIVE: cut short by" in stdout
    assert not list(Path(smoke.root).glob(".report.json.*"))  # no temporary file left


def test_a_failing_bake_draws_its_rounds_and_the_round_that_crossed_the_limit(
    smoke: SmokeProject, chdir: Any
) -> None:
    smoke.tutor.mode = "empty"
    code, _ = _smoke(smoke, chdir, "--rounds", "3", "--report-html", "out/bake.html")
    assert code == ExitCode.BLOCKED
    html = (smoke.root / "out" / "bake.html").read_text()
    start = html.index('<script type="application/json" id="gate-data">') + len(
        '<script type="application/json" id="gate-data">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    shape, gloss = [c["config"] for c in data["charts"]]
    # The bake stops at its first failed round: the rollback signal, marked on the chart.
    measured, limit = gloss["data"]["datasets"]
    assert gloss["type"] == "line" and gloss["data"]["labels"][0].startswith("round 1 ")
    assert (measured["data"], limit["data"]) == ([100.0], [2.0])
    assert (measured["pointStyle"], measured["pointRadius"]) == (["rectRot"], [9])
    measured, limit = shape["data"]["datasets"]
    assert (measured["data"], measured["pointStyle"]) == ([0.0], ["circle"])
    rows = data["items"]["rows"]
    assert [row[0] for row in rows] == [f"sm-{n:04d}" for n in range(5)]
    assert data["items"]["corpora"] == ["round 1: smoke"]
    assert "BLOCKED: at least one blocking check failed" in html
