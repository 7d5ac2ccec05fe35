"""A kind that raises, hangs or returns garbage costs its own check, never the run.

The misbehaving kinds are a real plugin (tests/plugins.py), installed by pip
and found through its entry points by a gate started in a subprocess.
"""

from __future__ import annotations

import json
import math
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from gate.isolation import (
    JudgeClock,
    KindTimeout,
    call_with_limit,
    judgement_problem,
    measurement_problem,
)
from gate.kinds.base import Judgement, Measurement
from gate.status import ExitCode, Status
from tests.bakes import SmokeProject
from tests.conftest import ACTION_ITEM, ProjectFactory


def _gate(root: Path, site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gate", *args],
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _check(name: str, kind: str, *, corpus: str | None = "regression", **extra: Any) -> str:
    lines = [f"id: {name}", f"kind: {kind}", f"action_item: {ACTION_ITEM}"]
    lines.append("suites: [release, smoke]")
    if corpus:
        lines.append(f"corpora: [{corpus}]")
    lines.extend(f"{key}: {value}" for key, value in extra.items())
    return "\n".join(lines) + "\n"


RESPONSE_FAULTS = {
    "raises": ("raises_judge", "kind 'raises_judge' raised on item rg-0000: "
               "ValueError: cannot read this answer"),
    "sleeps": ("sleeps_judge", "kind 'sleeps_judge' did not return within 0.5 s judging "
               "item rg-0000: stopped"),
    "spins": ("spins_judge", "kind 'spins_judge' did not return within 0.5 s judging "
              "item rg-0000: stopped"),
    "garbage": ("garbage_judge", "kind 'garbage_judge' returned a str, not a Judgement "
                "on item rg-0000"),
    "no-reason": ("no_reason_judge", "kind 'no_reason_judge' returned a Judgement whose "
                  "reason is a NoneType, not a str on item rg-0000"),
    "starts-never": ("sleeps_start", "kind 'sleeps_start' failed to start: it did not "
                     "return within 0.5 s"),
}  # fmt: skip
VERDICT_FAULTS = {
    "verdict-garbage": ("garbage_verdict", "the kind's verdict returned an int, not a Measurement"),
    "verdict-sleeps": ("sleeps_verdict", "the kind's verdict did not return within 0.5 s"),
}
STATIC_FAULTS = {
    "evaluate-sleeps": ("sleeps_evaluate", "kind 'sleeps_evaluate' did not return within 0.5 s"),
    "evaluate-garbage": (
        "garbage_evaluate",
        "kind 'garbage_evaluate' returned a dict, not a Measurement",
    ),
}


def test_every_fault_is_its_own_checks_error_and_the_rest_is_judged(
    project: ProjectFactory, fault_site: Path
) -> None:
    project.gloss_run(total=10, empty=3)  # the one sound check fails: 3 of 10 glosses empty
    for name, (kind, _) in {**RESPONSE_FAULTS, **VERDICT_FAULTS}.items():
        project.write(f"checks/{name}.yaml", _check(name, kind, timeout_s=0.5))
    for name, (kind, _) in STATIC_FAULTS.items():
        project.write(f"checks/{name}.yaml", _check(name, kind, corpus=None, timeout_s=0.5))
    started = time.monotonic()
    done = _gate(project.root, fault_site, "run", "--report-json", "r.json")
    elapsed = time.monotonic() - started
    # The release is judged and blocked: a failure outranks the errors beside it.
    assert done.returncode == ExitCode.BLOCKED, done.stderr
    assert "Traceback" not in done.stderr
    report = json.loads((project.root / "r.json").read_text())
    checks = {check["id"]: check for check in report["checks"]}
    gloss = checks["spanish-gloss-nonempty"]
    assert (gloss["status"], gloss["tally"]["passed"], gloss["tally"]["failed"]) == ("fail", 7, 3)
    for name, (_, message) in {**RESPONSE_FAULTS, **VERDICT_FAULTS, **STATIC_FAULTS}.items():
        assert (checks[name]["status"], checks[name]["message"]) == ("error", message), name
    for name in RESPONSE_FAULTS:
        tally = checks[name]["tally"]
        # Stopped at the first item, yet every planned item is still accounted for.
        assert (tally["total"], tally["errored"], tally["causes"]) == (10, 10, {"kind_error": 10})
    assert checks["verdict-sleeps"]["tally"]["passed"] == 10  # judged, then the verdict hung
    assert report["accounting"] == {"holds": True, "checks": 9, "items": 90, "broken": []}
    # Six limits of 0.5 s, each at most a tick late, and the gate's own start.
    assert elapsed < 15


def test_an_answer_no_kind_could_use_is_never_a_pass(
    project: ProjectFactory, fault_site: Path
) -> None:
    project.gloss_run(total=10, empty=0)
    lines = (project.root / "recorded.jsonl").read_text().splitlines()
    lines[3] = json.dumps({"id": "rg-0003", "response": [4]})  # a user would see no answer
    (project.root / "recorded.jsonl").write_text("\n".join(lines) + "\n")
    project.write("checks/lenient.yaml", _check("lenient", "passes_unanswered"))
    done = _gate(project.root, fault_site, "run", "--report-json", "r.json")
    assert "Traceback" not in done.stderr
    checks = {c["id"]: c for c in json.loads((project.root / "r.json").read_text())["checks"]}
    tally = checks["lenient"]["tally"]
    assert (tally["passed"], tally["failed"], tally["errored"]) == (9, 1, 0)
    (sample,) = checks["lenient"]["samples"]
    assert (sample["item"], sample["outcome"]) == ("rg-0003", "failed")


BLOCK_FAULTS = {
    "raises-many": ("raises_many", "kind 'raises_many' raised on items rg-0000 to rg-0009: "
                    "ValueError: cannot read these answers", (0, 10)),
    "sleeps-many": ("sleeps_many", "kind 'sleeps_many' did not return within 0.5 s judging "
                    "items rg-0000 to rg-0009: stopped", (0, 10)),
    "short-many": ("short_many", "kind 'short_many' returned 9 verdicts for 10 items on "
                   "items rg-0000 to rg-0009", (0, 10)),
    "tuple-many": ("tuple_many", "kind 'tuple_many' returned a tuple, not a list of "
                   "Judgements on items rg-0000 to rg-0009", (0, 10)),
    "garbage-many": ("garbage_many", "kind 'garbage_many' returned a str, not a Judgement "
                     "on item rg-0004", (4, 6)),
}  # fmt: skip


def test_a_kind_that_judges_whole_blocks_is_held_to_the_same_faults(
    project: ProjectFactory, fault_site: Path
) -> None:
    # A fault in judge_many errors the check for the block it was given, and
    # every planned item is still accounted for.
    project.gloss_run(total=10, empty=0)
    for name, (kind, _, _) in BLOCK_FAULTS.items():
        project.write(f"checks/{name}.yaml", _check(name, kind, timeout_s=0.5))
    done = _gate(project.root, fault_site, "run", "--report-json", "r.json")
    assert done.returncode == ExitCode.UNJUDGED, done.stderr
    report = json.loads((project.root / "r.json").read_text())
    checks = {check["id"]: check for check in report["checks"]}
    assert checks["spanish-gloss-nonempty"]["status"] == "pass"
    for name, (_, message, (passed, errored)) in BLOCK_FAULTS.items():
        tally = checks[name]["tally"]
        assert (checks[name]["status"], checks[name]["message"]) == ("error", message), name
        assert (tally["total"], tally["passed"], tally["errored"]) == (10, passed, errored), name
        assert tally["causes"] == {"kind_error": errored}, name
    assert report["accounting"]["holds"] is True


def test_a_hanging_kind_costs_its_check_each_round_of_a_bake(
    smoke: SmokeProject, fault_site: Path
) -> None:
    smoke.write("checks/sleeps.yaml", _check("sleeps", "sleeps_judge", corpus="smoke",
                                             timeout_s=0.5))  # fmt: skip
    done = _gate(smoke.root, fault_site, "smoke", "--rounds", "2", "--report-json", "r.json")
    assert done.returncode == ExitCode.UNJUDGED, done.stderr
    report = json.loads((smoke.root / "r.json").read_text())
    for record in report["rounds"]:
        by_check = {entry["check"]: entry for entry in record["checks"]}
        assert by_check["spanish-gloss-nonempty"]["status"] == "pass"
        assert by_check["response-shape"]["status"] == "pass"
        assert by_check["sleeps"]["message"] == (
            "kind 'sleeps_judge' did not return within 0.5 s judging item sm-0000: stopped"
        )
    assert report["accounting"]["holds"] is True


def test_a_kind_that_fails_checking_its_params_is_named(
    project: ProjectFactory, fault_site: Path
) -> None:
    project.gloss_run(total=2, empty=0)
    project.write("checks/bad.yaml", _check("bad", "breaks_checking_params", params="{}"))
    done = _gate(project.root, fault_site, "validate")
    assert done.returncode == ExitCode.INPUT_ERROR
    assert done.stderr == (
        "checks/bad.yaml:6: kind 'breaks_checking_params' failed checking its params: "
        "RuntimeError: the params checker broke\n"
        "  fix: fix or reinstall the plugin that provides the kind\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (Judgement(True), None),
        (Judgement(False, "empty", {"score": 0.5}), None),
        ("yes", "a str, not a Judgement"),
        ((True, "", None), "a tuple, not a Judgement"),
        (Judgement("yes"), "a Judgement whose ok is a str, not a bool"),  # type: ignore[arg-type]
        (Judgement(True, None), "a Judgement whose reason is a NoneType, not a str"),  # type: ignore[arg-type]
        (Judgement(True, "", [1]), "a Judgement whose sums is a list, not a mapping"),  # type: ignore[arg-type]
        (Judgement(True, "", {1: 1.0}), "a Judgement whose sums has an int key, not a str"),  # type: ignore[dict-item]
        (Judgement(True, "", {"s": "1"}), "a Judgement whose sums['s'] is a str, not a number"),  # type: ignore[dict-item]
        (Judgement(True, "", {"s": math.nan}), "a Judgement whose sums['s'] is nan, "
         "not a finite number"),
    ],
)  # fmt: skip
def test_what_a_judgement_must_be(value: object, problem: str | None) -> None:
    assert judgement_problem(value) == problem


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (Measurement(Status.PASS, 0.5, "<= 2%", "fine"), None),
        (Measurement(Status.FAIL, math.inf, None, "over", {"k": [1, 2]}), None),
        (42, "an int, not a Measurement"),
        (Measurement(Status.SKIPPED, 1, None, ""), "a Measurement whose status is "
         "<Status.SKIPPED: 'skipped'>, not pass, fail or error"),
        (Measurement("pass", 1, None, ""), "a Measurement whose status is 'pass', "  # type: ignore[arg-type]
         "not pass, fail or error"),
        (Measurement(Status.PASS, object(), None, ""), "a Measurement whose measured value "  # type: ignore[arg-type]
         "is an object"),
        (Measurement(Status.PASS, True, None, ""), "a Measurement whose measured value is a bool"),
        (Measurement(Status.PASS, 1, 2, ""), "a Measurement whose limit is an int, not a str"),  # type: ignore[arg-type]
        (Measurement(Status.PASS, 1, None, None), "a Measurement whose message is a NoneType, "  # type: ignore[arg-type]
         "not a str"),
        (Measurement(Status.PASS, 1, None, "", {"p": Path("x")}), "a Measurement whose details "
         "cannot be written as JSON (Type is not JSON serializable: PosixPath)"),
    ],
)  # fmt: skip
def test_what_a_measurement_must_be(value: object, problem: str | None) -> None:
    assert measurement_problem(value) == problem


def test_a_call_past_its_limit_is_left_behind() -> None:
    release = threading.Event()
    started = time.monotonic()
    with pytest.raises(KindTimeout) as caught:
        call_with_limit(release.wait, 0.1)
    assert str(caught.value) == "did not return within 0.1 s"
    assert time.monotonic() - started < 2
    release.set()
    assert call_with_limit(lambda: 7, 1) == 7
    with pytest.raises(ZeroDivisionError):
        call_with_limit(lambda: 1 / 0, 1)


def test_the_clock_leaves_another_sigalrm_handler_alone() -> None:
    # pytest-timeout keeps its own SIGALRM handler and timer around every test.
    def other(signum: int, frame: object) -> None:
        return None

    handler, timer = signal.signal(signal.SIGALRM, other), signal.getitimer(signal.ITIMER_REAL)
    try:
        with JudgeClock().ticking([0.04], spared=()):
            assert signal.getsignal(signal.SIGALRM) is other
            assert signal.getitimer(signal.ITIMER_REAL)[1] == 0.0
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        with JudgeClock().ticking([0.04], spared=()):
            assert signal.getitimer(signal.ITIMER_REAL)[1] == pytest.approx(0.01)
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGALRM, handler)
        signal.setitimer(signal.ITIMER_REAL, *timer)


def test_overlapping_blocks_tick_until_the_last_one_ends() -> None:
    # `gate prove` runs several suites in one event loop: their blocks overlap
    # without nesting, and the ticks must last until the last one ends.
    handler, timer = signal.getsignal(signal.SIGALRM), signal.getitimer(signal.ITIMER_REAL)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    clock = JudgeClock()
    first, second = clock.ticking([0.04], spared=()), clock.ticking([0.04], spared=())
    try:
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)
        assert signal.getsignal(signal.SIGALRM) == clock._tick
        assert signal.getitimer(signal.ITIMER_REAL)[1] == pytest.approx(0.01)
        second.__exit__(None, None, None)
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
        assert signal.getsignal(signal.SIGALRM) is signal.SIG_DFL
    finally:
        signal.signal(signal.SIGALRM, handler)
        signal.setitimer(signal.ITIMER_REAL, *timer)
