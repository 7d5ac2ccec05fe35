"""The bake's settings: the command line over gate.yaml's smoke section over the defaults."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.errors import GateError, InputError
from gate.project import load_project
from gate.smoke.settings import BakeSettings, Limits, Options, parse_duration, resolve
from gate.status import ExitCode
from tests.bakes import QUICK, SmokeProject


def _resolve(smoke: SmokeProject, section: str = QUICK, **options: Any) -> BakeSettings:
    smoke.configure(section)
    return resolve(load_project(smoke.config), Options(**options))


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90.0),
        ("1.5", 1.5),
        ("90s", 90.0),
        ("500ms", 0.5),
        ("5m", 300.0),
        ("1m30s", 90.0),
        ("1h", 3600.0),
        (45, 45.0),
        ("5 m", None),
        ("m5", None),
        ("-3", None),
        ("soon", None),
    ],
)
def test_durations(text: str | int, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


def test_defaults(smoke: SmokeProject) -> None:
    settings = _resolve(smoke, "", seed=3)
    assert (settings.interval_s, settings.rounds, settings.initial_delay_s) == (60.0, 15, 0.0)
    assert settings.limits["spanish-gloss-nonempty"] == Limits(0, None, 4)
    assert settings.detection_bound_s == 60.0
    assert settings.sample_from is None
    assert settings.corpus == smoke.root / "corpora" / "smoke.jsonl"


def test_the_command_line_wins_over_gate_yaml(smoke: SmokeProject) -> None:
    section = (
        "  rounds: 3\n  initial_delay: 30s\n  failure_limit: 2\n  consecutive_error_limit: 1\n"
    )
    settings = _resolve(
        smoke, section, interval_s=10.0, duration_s=95.0, limits={"failure_limit": 1}
    )
    assert settings.interval_s == 10.0
    assert settings.rounds == 9  # rounds start at 0, 10, ... 80 s: all within 95 s
    assert settings.initial_delay_s == 30.0
    assert settings.limits["response-shape"] == Limits(1, None, 1)


def test_a_check_file_sets_its_own_limits(smoke: SmokeProject) -> None:
    path = smoke.root / "checks" / "spanish-gloss-nonempty.yaml"
    path.write_text(
        path.read_text() + "smoke:\n  failure_limit: 3\n  consecutive_failure_limit: 1\n"
    )
    settings = _resolve(smoke, "  failure_limit: 2\n", limits={"failure_limit": 5})
    assert settings.rounds == 15
    assert settings.limits["spanish-gloss-nonempty"] == Limits(3, 1, 4)
    assert settings.limits["response-shape"] == Limits(5, None, 4)


def test_the_detection_bound_follows_the_loosest_deciding_check(smoke: SmokeProject) -> None:
    path = smoke.root / "checks" / "response-shape.yaml"
    path.write_text(
        path.read_text() + "smoke:\n  failure_limit: 4\n  consecutive_failure_limit: 2\n"
    )
    settings = _resolve(smoke, "  interval: 1m\n  initial_delay: 30s\n  failure_limit: 1\n")
    # response-shape signals after 3 failed rounds in a row at the latest, the other after 2.
    assert settings.detection_bound_s == 30 + 60 * 3
    dry = _resolve(smoke, "  interval: 1m\n  failure_limit: 1\n", dry_run=("response-shape",))
    assert dry.detection_bound_s == 60 * 2


def test_an_unknown_dry_run_check(smoke: SmokeProject) -> None:
    with pytest.raises(GateError) as caught:
        _resolve(smoke, dry_run=("spanish-glos-nonempty",))
    assert str(caught.value) == (
        "--dry-run spanish-glos-nonempty: the suite 'smoke' has no such check; "
        "did you mean 'spanish-gloss-nonempty'?"
    )


def test_a_smoke_with_no_prompts(smoke: SmokeProject) -> None:
    (smoke.root / "corpora" / "smoke.jsonl").rename(smoke.root / "corpora" / "regression.jsonl")
    for name in ("spanish-gloss-nonempty", "response-shape"):
        path = smoke.root / "checks" / f"{name}.yaml"
        path.write_text(path.read_text().replace("[smoke]", "[regression]"))
    with pytest.raises(InputError) as caught:
        _resolve(smoke)
    default = smoke.root / "corpora" / "smoke.jsonl"
    assert str(caught.value) == (
        f"{smoke.config}: the smoke has no prompts: there is no {default} and nothing "
        "to sample from\n"
        f"  fix: add {default}, set smoke.corpus, or pass --sample-from a portal log"
    )


def test_gate_yaml_smoke_keys_are_validated(smoke: SmokeProject, chdir: Any) -> None:
    smoke.configure("  intervl: 5m\n  interval: soon\n")  # lines 11 and 12
    chdir(smoke.root)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == (
        "gate.yaml:11:3: unknown key 'intervl' in smoke\n"
        "  fix: did you mean 'interval'? allowed keys here: consecutive_error_limit, "
        "consecutive_failure_limit, corpus, duration, failure_limit, initial_delay, interval, "
        "min_judged, rounds, sample\n"
        "gate.yaml:12:3: 'smoke.interval': 'soon' does not match "
        "'^([0-9]+(\\\\.[0-9]+)?(ms|s|m|h))+$'\n"
        "  fix: 'smoke.interval' is the time from one round's start to the next, in seconds or "
        "as 30s or 5m (default 60s)\n"
        "2 problems in the gate's input; nothing was run.\n"
    )


def test_check_file_smoke_keys_are_validated(smoke: SmokeProject, chdir: Any) -> None:
    path = smoke.root / "checks" / "response-shape.yaml"
    path.write_text(path.read_text() + "smoke:\n  failure_limt: 2\n")
    chdir(smoke.root)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == (
        "checks/response-shape.yaml:9:3: unknown key 'failure_limt' in smoke\n"
        "  fix: did you mean 'failure_limit'? allowed keys here: consecutive_error_limit, "
        "consecutive_failure_limit, failure_limit\n"
        "1 problem in the gate's input; nothing was run.\n"
    )
