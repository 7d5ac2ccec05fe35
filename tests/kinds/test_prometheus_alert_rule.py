"""prometheus_alert_rule: the alert found in the YAML, its threshold and `for:`, and the real
promtool checking the file and running its unit tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.errors import InputError
from gate.kinds.prometheus_alert_rule import PrometheusAlertRule
from gate.status import ExitCode, Status
from tests.conftest import REPO, ProjectFactory
from tests.kinds.conftest import context_of

METRIC = "tutor_response_empty_field_total"
TUTOR_RULES = (REPO / "examples/tutor/alerts.yml").read_text()
TUTOR_TESTS = (REPO / "examples/tutor/alerts_test.yml").read_text()
PARAMS = {
    "file": "alerts/alerts.yml",
    "metric": METRIC,
    "max_threshold": 0.01,
    "max_for": "5m",
    "test_file": "alerts/alerts_test.yml",
}
EXPR = (
    'sum(rate(tutor_response_empty_field_total{field="spanish"}[5m])) / '
    "sum(rate(tutor_responses_total[5m])) > 0.01"
)


@pytest.fixture(autouse=True)
def promtool() -> str:
    found = shutil.which("promtool")
    assert found, "promtool is not on PATH: run scripts/install-test-deps.sh as root"
    return found


def _rules(project: ProjectFactory, rules: str = TUTOR_RULES, tests: str = TUTOR_TESTS) -> None:
    project.write("alerts/alerts.yml", rules)
    project.write("alerts/alerts_test.yml", tests)


def _judge(project: ProjectFactory, **changes: Any) -> Any:
    params = {key: value for key, value in {**PARAMS, **changes}.items() if value is not None}
    return PrometheusAlertRule(params).evaluate(context_of(project))


def test_the_tutors_alert_passes_with_promtool(project: ProjectFactory) -> None:
    _rules(project)
    result = _judge(project)
    assert result.status is Status.PASS
    assert result.measured == 0.01
    assert result.limit == f"reads {METRIC}, threshold <= 0.01, for <= 5m"
    assert result.message == (
        f"alert TutorSpanishGlossEmpty fires when {EXPR} for 5m; "
        "`promtool check rules` and `promtool test rules` ran"
    )


def test_the_incidents_5xx_only_alerting_fails(project: ProjectFactory) -> None:
    rules = (
        "groups:\n- name: tutor\n  rules:\n  - alert: TutorErrors\n"
        '    expr: sum(rate(tutor_http_responses_total{code=~"5.."}[5m])) > 1\n    for: 5m\n'
    )
    _rules(project, rules)
    result = _judge(project)
    assert (result.status, result.message) == (
        Status.FAIL,
        f"no alert in alerts/alerts.yml reads {METRIC} (alerts: TutorErrors)",
    )


def _tutor_rules(old: str, new: str) -> str:
    assert old in TUTOR_RULES
    return TUTOR_RULES.replace(old, new)


def test_a_threshold_above_the_limit_fails(project: ProjectFactory) -> None:
    _rules(project, _tutor_rules("> 0.01", "> 0.05"))
    result = _judge(project, test_file=None)
    assert result.status is Status.FAIL
    assert result.message == (
        f"alert TutorSpanishGlossEmpty fires when {EXPR.replace('0.01', '0.05')} for 5m; "
        "its threshold 0.05 is above 0.01; `promtool check rules` ran"
    )


def test_a_longer_for_fails(project: ProjectFactory) -> None:
    _rules(project, _tutor_rules("for: 5m", "for: 15m"))
    result = _judge(project, test_file=None)
    assert result.status is Status.FAIL
    assert "; its for: 15m is longer than 5m; " in result.message


def test_a_threshold_written_first_is_read_the_right_way_round(project: ProjectFactory) -> None:
    rules = (
        "groups:\n- name: tutor\n  rules:\n  - alert: Empty\n"
        f"    expr: 0.01 < (sum(rate({METRIC}[5m])) / sum(rate(tutor_responses_total[5m])))\n"
        "    for: 2m\n"
    )
    _rules(project, rules)
    result = _judge(project, test_file=None)
    assert (result.status, result.measured) == (Status.PASS, 0.01)


@pytest.mark.parametrize(
    ("expr", "problem"),
    [
        (f"sum(rate({METRIC}[5m])) < 0.01", "it fires on '< 0.01', not above it"),
        (
            f"sum(rate({METRIC}[5m])) > 0.01 * 100",
            "no comparison with a number can be read at the top of its expression",
        ),
        (
            f"sum(rate({METRIC}[5m])) / sum(rate(tutor_responses_total[5m]))",
            "no comparison with a number can be read at the top of its expression",
        ),
    ],
)
def test_an_expression_whose_threshold_cannot_be_held(
    project: ProjectFactory, expr: str, problem: str
) -> None:
    rules = f"groups:\n- name: tutor\n  rules:\n  - alert: Empty\n    expr: {expr}\n"
    _rules(project, rules)
    result = _judge(project, test_file=None)
    assert result.status is Status.FAIL
    assert result.message == (
        f"alert Empty fires when {expr} for 0s; {problem}; `promtool check rules` ran"
    )


def test_a_named_alert_must_exist(project: ProjectFactory) -> None:
    _rules(project)
    result = _judge(project, alert="TutorGlossEmpty")
    assert result.message == (
        "alerts/alerts.yml has no alert named TutorGlossEmpty (alerts: TutorSpanishGlossEmpty)"
    )


def test_promtool_refuses_what_the_yaml_reading_cannot_see(project: ProjectFactory) -> None:
    # The expression reads the metric and compares it with 0.01, but a `for:`
    # of one minute makes the alert fire at 4m, which the unit tests forbid.
    _rules(project, _tutor_rules("for: 5m", "for: 1m"))
    result = _judge(project)
    assert result.status is Status.FAIL
    assert "; `promtool test rules alerts/alerts_test.yml` exited 1: Unit Testing: " in (
        result.message
    )
    assert "FAILED: | alertname: TutorSpanishGlossEmpty, time: 4m," in result.message


def test_promtool_check_rules_catches_a_bad_template(project: ProjectFactory) -> None:
    _rules(project, _tutor_rules("humanizePercentage", "humanizePercentag"))
    result = _judge(project, test_file=None)
    assert result.status is Status.FAIL
    assert "; `promtool check rules alerts/alerts.yml` exited 1: Checking " in result.message
    assert 'function "humanizePercentag" not defined' in result.message


def test_missing_unit_tests_fail(project: ProjectFactory) -> None:
    project.write("alerts/alerts.yml", TUTOR_RULES)
    result = _judge(project)
    assert result.status is Status.FAIL
    assert result.message == (
        f"alert TutorSpanishGlossEmpty fires when {EXPR} for 5m; "
        "the unit tests alerts/alerts_test.yml do not exist; `promtool check rules` ran"
    )


def test_without_promtool_the_yaml_is_still_judged_and_the_skip_said(
    project: ProjectFactory, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _rules(project)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = _judge(project)
    assert result.status is Status.PASS
    assert result.message == (
        f"alert TutorSpanishGlossEmpty fires when {EXPR} for 5m; promtool is not installed, so "
        "`promtool check rules` and the unit tests in alerts/alerts_test.yml were skipped"
    )
    assert _judge(project, require_promtool=True).status is Status.ERROR


def test_a_file_that_is_not_a_rules_file(project: ProjectFactory, chdir: Any) -> None:
    _rules(project, "alerts: []\n")
    assert _judge(project).message == (
        "alerts/alerts.yml is not a Prometheus rules file: it has no list of groups"
    )
    _rules(project, "groups: [\n")
    chdir(project.root)
    with pytest.raises(InputError) as raised:
        _judge(project)
    assert str(raised.value) == (
        "alerts/alerts.yml:2:1: is not valid YAML: expected the node content, but found "
        "'<stream end>'\n  fix: correct the YAML syntax at that place"
    )


def test_bad_params(project: ProjectFactory, chdir: Any) -> None:
    project.write(
        "checks/alert.yaml",
        "id: empty-gloss-alert\nkind: prometheus_alert_rule\n"
        "action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-3\nsuites: [release]\n"
        f"params:\n  file: alerts.yml\n  metric: {METRIC}\n  max_for: five minutes\n",
    )
    chdir(project.root)
    result = CliRunner().invoke(cli, ["validate"])
    assert result.exit_code == ExitCode.INPUT_ERROR
    assert result.output == (
        "checks/alert.yaml:8: params.max_for is 'five minutes', not a duration such as 5m or "
        "1h30m\n1 problem in the gate's input; nothing was run.\n"
    )
