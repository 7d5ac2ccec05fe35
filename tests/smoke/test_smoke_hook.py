"""The rollback hook: run once when the verdict becomes fail, with the report at hand."""

from __future__ import annotations

import json
from pathlib import Path

from gate.smoke.bake import Outputs
from gate.smoke.hook import run_hook
from gate.status import ExitCode
from tests.bakes import ACTION_ITEM, SmokeProject

READ_REPORT = (
    'python3 -c \'import json, os; r = json.load(open(os.environ["GATE_REPORT"])); '
    'print(r["bake"]["outcome"], os.environ["GATE_FAILED_CHECKS"], '
    'os.environ["GATE_ACTION_ITEMS"])\'; exit 7'
)


def test_the_hook_runs_once_on_fail_and_its_result_is_reported(
    smoke: SmokeProject, tmp_path: Path
) -> None:
    smoke.tutor.mode = "empty"
    report = tmp_path / "report.json"
    outputs = Outputs(report=report, on_fail=READ_REPORT, event_log=tmp_path / "events.jsonl")
    bake, run = smoke.bake(outputs=outputs, rounds=3)
    assert run.exit_code is ExitCode.BLOCKED
    assert bake.hook is not None
    assert (bake.hook.exit_status, bake.hook.output) == (
        7,
        f"fail spanish-gloss-nonempty {ACTION_ITEM}\n",
    )
    written = json.loads(report.read_text())
    assert written["bake"]["on_fail"]["exit_status"] == 7
    assert written["bake"]["on_fail"]["output"] == bake.hook.output
    lines = (tmp_path / "events.jsonl").read_text().splitlines()
    events = [json.loads(line)["event"] for line in lines]
    assert events.count("on_fail") == 1


def test_no_hook_unless_the_verdict_is_fail(smoke: SmokeProject, tmp_path: Path) -> None:
    smoke.tutor.mode = "404"
    marker = tmp_path / "ran"
    bake, run = smoke.bake(outputs=Outputs(on_fail=f"touch {marker}"), rounds=1)
    assert run.exit_code is ExitCode.UNJUDGED
    assert bake.hook is None
    assert not marker.exists()


def test_without_report_json_the_hook_still_gets_a_report(smoke: SmokeProject) -> None:
    smoke.tutor.mode = "503"
    bake, _ = smoke.bake(outputs=Outputs(on_fail='test -s "$GATE_REPORT"'), rounds=1)
    assert bake.hook is not None and bake.hook.exit_status == 0
    assert bake.evidence.report_path is not None and bake.evidence.report_path.is_file()


def test_a_hook_that_hangs_is_stopped() -> None:
    result = run_hook("echo started; sleep 30", {}, timeout_s=0.3)
    assert (result.exit_status, result.timed_out, result.output) == (None, True, "started\n")
    assert result.describe().startswith("was stopped after 0.")
