"""config_pin: bounds, allowed values and the drop against the previous release."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.kinds.config_pin import ConfigPin
from gate.status import ExitCode, Status
from tests.conftest import ProjectFactory
from tests.kinds.conftest import context_of, release

TUTOR_PIN = {"key": "max_decode_tokens", "min": 24, "max_drop_ratio": 4}


def _judge(project: ProjectFactory, params: dict[str, Any], manifest: str) -> Any:
    return ConfigPin(params).evaluate(context_of(project, manifest))


def test_the_incident_release_is_below_the_minimum(project: ProjectFactory) -> None:
    release(project, "2.4.0", max_decode_tokens=16)
    result = _judge(project, TUTOR_PIN, "releases/v2.4.0.yaml")
    assert result.status is Status.FAIL
    assert result.measured == 16
    assert result.limit == ">= 24, drop <= 4x"
    assert result.message == (
        "max_decode_tokens is 16 in releases/v2.4.0.yaml, 32 in releases/v2.3.4.yaml: "
        "below the minimum 24"
    )


@pytest.mark.parametrize(("budget", "status"), [(24, Status.PASS), (23, Status.FAIL)])
def test_the_minimum_is_inclusive(project: ProjectFactory, budget: int, status: Status) -> None:
    release(project, "2.4.1", max_decode_tokens=budget)
    assert _judge(project, TUTOR_PIN, "releases/v2.4.1.yaml").status is status


@pytest.mark.parametrize(("budget", "status"), [(8, Status.PASS), (7, Status.FAIL)])
def test_a_drop_of_exactly_the_ratio_passes(
    project: ProjectFactory, budget: int, status: Status
) -> None:
    release(project, "2.4.1", max_decode_tokens=budget)
    params = {"key": "max_decode_tokens", "max_drop_ratio": 4}
    assert _judge(project, params, "releases/v2.4.1.yaml").status is status


def test_the_drop_message_names_both_values_and_both_files(project: ProjectFactory) -> None:
    release(project, "2.4.1", max_decode_tokens=7)
    result = _judge(project, TUTOR_PIN, "releases/v2.4.1.yaml")
    assert result.message == (
        "max_decode_tokens is 7 in releases/v2.4.1.yaml, 32 in releases/v2.3.4.yaml: "
        "below the minimum 24; cut 4.57x since 2.3.4, more than 4x"
    )


def test_releases_are_ordered_by_version_not_by_name(project: ProjectFactory) -> None:
    release(project, "2.9.0", max_decode_tokens=128)
    release(project, "2.10.0", max_decode_tokens=30)
    result = _judge(project, TUTOR_PIN, "releases/v2.10.0.yaml")
    assert result.message == (
        "max_decode_tokens is 30 in releases/v2.10.0.yaml, 128 in releases/v2.9.0.yaml: "
        "cut 4.27x since 2.9.0, more than 4x"
    )


def test_a_candidate_outside_releases_is_compared_with_the_newest_older_one(
    project: ProjectFactory,
) -> None:
    release(project, "2.4.0", max_decode_tokens=24)
    project.write("candidates/next.yaml", 'version: "2.5.0"\nmax_decode_tokens: 20\n')
    result = _judge(project, TUTOR_PIN, "candidates/next.yaml")
    assert result.status is Status.FAIL
    assert result.message == (
        "max_decode_tokens is 20 in candidates/next.yaml, 24 in releases/v2.4.0.yaml: "
        "below the minimum 24"
    )


def test_within_the_pin(project: ProjectFactory) -> None:
    release(project, "2.4.1", max_decode_tokens=48)
    result = _judge(project, {**TUTOR_PIN, "max": 64}, "releases/v2.4.1.yaml")
    assert (result.status, result.limit) == (Status.PASS, ">= 24, <= 64, drop <= 4x")
    assert result.message == (
        "max_decode_tokens is 48 in releases/v2.4.1.yaml, 32 in releases/v2.3.4.yaml: "
        "within the pin"
    )


def test_the_first_release_is_judged_on_its_bounds_alone(project: ProjectFactory) -> None:
    result = _judge(project, TUTOR_PIN, "releases/v2.3.4.yaml")
    assert result.status is Status.PASS
    assert result.message == (
        "max_decode_tokens is 32 in releases/v2.3.4.yaml; there is no earlier release to "
        "compare with: within the pin"
    )


def test_a_previous_release_without_the_key(project: ProjectFactory) -> None:
    release(project, "2.4.1", decoding="{top_p: 0.9}")
    params = {"key": "decoding.top_p", "max": 0.95, "max_drop_ratio": 2}
    result = _judge(project, params, "releases/v2.4.1.yaml")
    assert result.status is Status.PASS
    assert result.message == (
        "decoding.top_p is 0.9 in releases/v2.4.1.yaml; releases/v2.3.4.yaml does not set it: "
        "within the pin"
    )


def test_a_candidate_without_the_key_fails(project: ProjectFactory) -> None:
    release(project, "2.4.1", service="tutor")
    result = _judge(project, TUTOR_PIN, "releases/v2.4.1.yaml")
    assert (result.status, result.message) == (
        Status.FAIL,
        "releases/v2.4.1.yaml does not set max_decode_tokens",
    )


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"32"', "'32' is not a number"),
        ("true", "True is not a number"),
    ],
)
def test_a_value_that_is_not_a_number(project: ProjectFactory, value: str, message: str) -> None:
    release(project, "2.4.1", max_decode_tokens=value)
    result = _judge(project, TUTOR_PIN, "releases/v2.4.1.yaml")
    assert result.status is Status.FAIL
    assert result.message.endswith(f": {message}")


@pytest.mark.parametrize(
    ("order", "status"), [("spanish_first", Status.PASS), ("spanish_only", Status.FAIL)]
)
def test_an_allowed_set(project: ProjectFactory, order: str, status: Status) -> None:
    release(project, "2.4.1", response_key_order=order)
    params = {"key": "response_key_order", "allowed": ["english_first", "spanish_first"]}
    result = _judge(project, params, "releases/v2.4.1.yaml")
    assert result.status is status
    if status is Status.FAIL:
        assert result.message == (
            "response_key_order is 'spanish_only' in releases/v2.4.1.yaml; releases/v2.3.4.yaml "
            "does not set it: not one of 'english_first', 'spanish_first'"
        )


@pytest.mark.parametrize(
    ("value", "allowed", "status"),
    [
        ("true", [1], Status.FAIL),  # Python says True == 1; YAML does not
        ("0", [False], Status.FAIL),
        ("false", [0], Status.FAIL),
        ("1", [True], Status.FAIL),
        ("true", [True], Status.PASS),
        ("1.0", [1], Status.PASS),  # one number, written two ways
        ("'1'", [1], Status.FAIL),
        ("[1, 2]", [[1, 2]], Status.PASS),
        ("[true]", [[1]], Status.FAIL),
        ("{a: 1}", [{"a": True}], Status.FAIL),
    ],
)
def test_allowed_compares_yaml_values_not_python_equality(
    project: ProjectFactory, value: str, allowed: list[Any], status: Status
) -> None:
    release(project, "2.4.1", streaming=value)
    result = _judge(project, {"key": "streaming", "allowed": allowed}, "releases/v2.4.1.yaml")
    assert result.status is status, result.message


def test_pre_releases_are_ordered_by_semver_precedence(project: ProjectFactory) -> None:
    # rc.10 is the newer pre-release: compared as text, rc.9 would be.
    release(project, "2.5.0-rc.9", max_decode_tokens=128)
    release(project, "2.5.0-rc.10", max_decode_tokens=32)
    release(project, "2.5.0", max_decode_tokens=30)
    result = _judge(project, TUTOR_PIN, "releases/v2.5.0.yaml")
    assert (result.status, result.message) == (
        Status.PASS,
        "max_decode_tokens is 30 in releases/v2.5.0.yaml, 32 in releases/v2.5.0-rc.10.yaml: "
        "within the pin",
    )


CHECK = """\
id: decode-budget-pin
kind: config_pin
action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-1
suites: [release]
params:
{params}
"""


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            "  key: max_decode_tokens",
            "checks/pin.yaml:6: params.key is pinned by no rule: add min, max, allowed or "
            "max_drop_ratio",
        ),
        (
            "  key: max_decode_tokens\n  min: 64\n  max: 32",
            "checks/pin.yaml:7: params.min is 64, above max 32",
        ),
        (
            "  key: max_decode_tokens\n  max_drop_ratio: 0.5",
            "checks/pin.yaml:7:3: 'params.max_drop_ratio': 0.5 is less than the minimum of 1\n"
            "  fix: 'params.max_drop_ratio' is how many times smaller than in the previous release "
            "(the newest older one in releases/) the value may become: at 4, 32 may go to 8 but "
            "not 7",
        ),
    ],
)
def test_bad_params(project: ProjectFactory, chdir: Any, params: str, message: str) -> None:
    project.write("checks/pin.yaml", CHECK.format(params=params))
    chdir(project.root)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == f"{message}\n1 problem in the gate's input; nothing was run.\n"


def test_a_run_blocks_on_the_pin(project: ProjectFactory, chdir: Any) -> None:
    release(project, "2.4.0", max_decode_tokens=16)
    project.write("checks/pin.yaml", CHECK.format(params="  key: max_decode_tokens\n  min: 24"))
    chdir(project.root)
    result = CliRunner().invoke(cli, ["run", "--manifest", "releases/v2.4.0.yaml"])
    assert result.exit_code == ExitCode.BLOCKED
    assert (
        "  decode-budget-pin: max_decode_tokens is 16 in releases/v2.4.0.yaml, 32 in "
        "releases/v2.3.4.yaml: below the minimum 24\n"
    ) in result.output
