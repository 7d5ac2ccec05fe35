"""Bakes against a fake tutor on loopback: verdicts, early stops, timing and evidence."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from jsonschema import Draft202012Validator

from gate.results import CheckResult, RunResult
from gate.schema import packaged_schema
from gate.smoke.bake import Outputs
from gate.status import ExitCode, Status
from tests.bakes import ACTION_ITEM, SmokeProject, Steer
from tests.loopback import FakeTutor


def _result(run: RunResult, check_id: str) -> CheckResult:
    return next(result for result in run.results if result.check.id == check_id)


def _events(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_a_healthy_service_passes(smoke: SmokeProject) -> None:
    bake, run = smoke.bake(rounds=3)
    assert run.exit_code is ExitCode.OK
    assert bake.outcome == "pass"
    assert [result.status for result in run.results] == [Status.PASS, Status.PASS]
    assert len(bake.records) == 3
    assert bake.reason == "every deciding check passed 3 rounds"


def test_one_round_of_503_in_ten_passes_with_failure_limit_1(smoke: SmokeProject) -> None:
    steer = Steer(smoke.tutor, {4: "503"})
    bake, run = smoke.bake(steer, rounds=10, limits={"failure_limit": 1})
    assert run.exit_code is ExitCode.OK
    assert [record.status for record in bake.records].count(Status.FAIL) == 1
    # The cause is named by status (http_503) or by class (http_5xx), as the target reports it.
    ((cause, count),) = bake.records[3].failed.items()
    assert (cause in ("http_503", "http_5xx"), count) == (True, 5)
    assert steer.crossings == []
    gloss = _result(run, "spanish-gloss-nonempty")
    assert gloss.measured == 1
    assert gloss.message == "no limit crossed in 10 rounds (1 failed)"


def test_three_rounds_of_503_in_a_row_cross_the_consecutive_limit(smoke: SmokeProject) -> None:
    steer = Steer(smoke.tutor, {3: "503", 4: "503", 5: "503"})
    limits = {"failure_limit": 3, "consecutive_failure_limit": 2}
    bake, run = smoke.bake(steer, rounds=10, limits=limits)
    assert run.exit_code is ExitCode.BLOCKED
    assert len(bake.records) == 5  # stopped early, at the rollback signal
    assert {(c.check.id, c.limit, c.rounds, c.round) for c in steer.crossings} == {
        ("spanish-gloss-nonempty", "consecutive_failure_limit", 3, 5),
        ("response-shape", "consecutive_failure_limit", 3, 5),
    }
    gloss = _result(run, "spanish-gloss-nonempty")
    assert gloss.status is Status.FAIL
    assert gloss.message == (
        "3 failed rounds in a row, above consecutive_failure_limit 2 (round 5): "
        "5/5 failed (100.00%): 5 with no usable answer (http_5xx 5); above 2.00%"
    )
    assert bake.detection is not None
    assert bake.detection["first_failed_round"] == 3
    assert bake.detection["limit"] == "consecutive_failure_limit"


def test_the_service_failing_from_the_start_is_signalled_within_the_bound(
    smoke: SmokeProject,
) -> None:
    smoke.tutor.mode = "empty"
    bake, run = smoke.bake(rounds=20, interval_s=0.1, initial_delay_s=0.05)
    assert run.exit_code is ExitCode.BLOCKED
    assert bake.settings.detection_bound_s == 0.15
    assert bake.detection is not None
    assert bake.detection["since_start_s"] <= 0.15
    assert len(bake.records) == 1


def test_a_dry_run_check_is_reported_but_never_decides(smoke: SmokeProject) -> None:
    smoke.tutor.empty_if = lambda prompt: prompt.startswith("long")
    bake, run = smoke.bake(
        rounds=3,
        sample_from=smoke.root / "portal-log.jsonl",
        sample_count=2,
        dry_run=("spanish-gloss-nonempty",),
    )
    assert run.exit_code is ExitCode.OK
    gloss, shape = _result(run, "spanish-gloss-nonempty"), _result(run, "response-shape")
    assert gloss.status is Status.FAIL
    assert not gloss.check.blocking
    assert gloss.details["dry_run"] is True
    assert shape.status is Status.PASS
    assert len(bake.records) == 3  # a shadow check's crossing does not stop the bake


def test_a_service_that_is_not_there_is_inconclusive(smoke: SmokeProject) -> None:
    smoke.tutor.stop()  # nothing listens on its port any more
    bake, run = smoke.bake(rounds=6, limits={"consecutive_error_limit": 1})
    assert run.exit_code is ExitCode.UNJUDGED
    assert bake.outcome == "inconclusive"
    assert len(bake.records) == 2  # the error limit ends the bake early, too
    assert bake.records[0].errored == {"unreachable": 5}
    assert bake.records[0].failed == {}
    message = _result(run, "spanish-gloss-nonempty").message
    url = f"POST {smoke.tutor.url}/v1/tutor"
    assert message == (
        "2 unjudged rounds in a row, above consecutive_error_limit 1 (round 2): zero items "
        "were judged: 5 errored items (unreachable 5); the first, sm-0000: "
        f"{url} could not be reached: the connection was refused (after 3 attempts); "
        "later items were not asked"
    )


def test_a_refused_request_after_the_service_answered_is_the_release_failing(
    smoke: SmokeProject,
) -> None:
    class StopService(Steer):
        def round_started(self, bake: object, number: int) -> None:
            if number == 2:
                smoke.tutor.stop()

    bake, run = smoke.bake(StopService(smoke.tutor, {}), rounds=4, limits={"failure_limit": 2})
    assert run.exit_code is ExitCode.BLOCKED
    assert [record.status for record in bake.records] == [Status.PASS] + [Status.FAIL] * 3
    # Round 2 meets the kept-alive connections dropping; round 3 finds the port closed.
    assert sum(bake.records[1].failed.values()) == 5
    assert bake.records[2].failed == {"refused": 5}
    assert bake.records[2].errored == {}
    # A dead service is named as such, never as glosses that came back empty.
    gloss = _result(run, "spanish-gloss-nonempty")
    assert gloss.message.endswith(
        "5/5 failed (100.00%): 5 with no usable answer (refused 5); above 2.00%"
    )


def test_a_404_is_the_runners_problem(smoke: SmokeProject) -> None:
    smoke.tutor.mode = "404"
    bake, run = smoke.bake(rounds=2)
    assert run.exit_code is ExitCode.UNJUDGED
    ((cause, count),) = bake.records[0].errored.items()
    assert (cause in ("http_404", "http_4xx"), count) == (True, 5)
    assert bake.records[0].failed == {}
    assert (
        _result(run, "spanish-gloss-nonempty").message == "no round judged this check in 2 rounds"
    )


def test_too_few_items_judged_is_inconclusive(smoke: SmokeProject) -> None:
    _bake, run = smoke.bake(rounds=2, min_judged=11)
    assert run.exit_code is ExitCode.UNJUDGED
    assert _result(run, "spanish-gloss-nonempty").message == (
        "10 items judged over the bake; a pass needs at least 11 (min_judged)"
    )


def test_a_slow_round_delays_the_next_rather_than_overlapping(smoke: SmokeProject) -> None:
    smoke.tutor.mode = "slow"
    smoke.tutor.delay_s = 0.12
    bake, run = smoke.bake(rounds=3, interval_s=0.05)
    assert run.exit_code is ExitCode.OK
    records = bake.records
    for before, after in itertools.pairwise(records):
        assert after.started_at >= before.finished_at
    assert run.notes[0] == (
        f"round 1 took {records[0].duration_s:.1f} s, longer than the 0.05 s interval: the "
        "rounds after it started late, so detection can take longer than the bound"
    )


def test_sampled_prompts_change_each_round_and_repeat_with_the_seed(smoke: SmokeProject) -> None:
    first, _ = smoke.bake(rounds=3, sample_from=smoke.root / "portal-log.jsonl", seed=5)
    again, _ = smoke.bake(rounds=3, sample_from=smoke.root / "portal-log.jsonl", seed=5)
    samples = [record.sampled for record in first.records]
    assert samples == [record.sampled for record in again.records]
    assert len(set(samples)) == 3
    assert all(len(sample) == 5 for sample in samples)
    assert first.records[0].items == 10


def test_the_evidence_of_a_failed_bake(smoke: SmokeProject, tmp_path: Path) -> None:
    outputs = Outputs(
        report=tmp_path / "out" / "report.json",
        event_log=tmp_path / "out" / "events.jsonl",
        metrics_file=tmp_path / "out" / "smoke.prom",
    )
    bake, run = smoke.bake(Steer(smoke.tutor, {2: "empty"}), outputs, rounds=4)
    assert run.exit_code is ExitCode.BLOCKED
    events = _events(tmp_path / "out" / "events.jsonl")
    # A loaded machine may add a note that a round ran late; the rest is fixed.
    kinds = [event["event"] for event in events if event["event"] != "note"]
    assert kinds == ["bake_started", "round", "round", "limit_crossed", "bake_finished"]
    events = [event for event in events if event["event"] != "note"]
    assert {event["bake"] for event in events} == {bake.id}
    assert all(str(event["ts"]).endswith("Z") for event in events)
    crossed = events[3]
    assert crossed["check"] == "spanish-gloss-nonempty"
    assert crossed["action_item"] == ACTION_ITEM
    assert crossed["round"] == 2
    assert crossed["measured"] == 1.0
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["schema"] == "gate-report/1"
    Draft202012Validator(packaged_schema("report.schema.json")).validate(report)
    assert report["checks"][1]["action_item"]["owner"] == "Borja"
    assert report["verdict"] == "fail"
    assert report["bake"]["outcome"] == "fail"
    assert [entry["round"] for entry in report["rounds"]] == [1, 2]
    assert report["rounds"][1]["checks"][1]["check"] == "spanish-gloss-nonempty"
    assert report["rounds"][1]["checks"][1]["measured"] == 1.0
    assert report["checks"][1]["tally"]["failed"] == 5
    assert "gate_smoke_bake_outcome" in (tmp_path / "out" / "smoke.prom").read_text()


def test_the_report_says_running_until_the_bake_ends(smoke: SmokeProject, tmp_path: Path) -> None:
    seen: list[dict[str, object]] = []

    class Peek(Steer):
        def round_started(self, bake: object, number: int) -> None:
            if number == 2:
                seen.append(json.loads((tmp_path / "report.json").read_text()))

    smoke.bake(Peek(smoke.tutor, {}), Outputs(report=tmp_path / "report.json"), rounds=2)
    (during,) = seen
    assert during["verdict"] == "error"  # never a pass before the bake ends
    assert during["bake"]["outcome"] == "running"  # type: ignore[index]
    assert len(during["rounds"]) == 1  # type: ignore[arg-type]


def test_one_connection_pool_for_the_whole_bake(smoke: SmokeProject, tutor: FakeTutor) -> None:
    smoke.bake(rounds=4)
    assert len(tutor.asked) == 20
    # Connections opened in the first round are kept alive and reused by the next ones.
    assert len(tutor.peers) <= 5
