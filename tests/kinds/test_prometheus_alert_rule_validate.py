"""prometheus_alert_rule's validate hook: the rules file and the unit tests file are there.

`gate validate` and `gate run` both refuse, as the project loads (exit 2), a
check whose rules file is missing, does not parse, or holds no groups.
"""

from __future__ import annotations

import pytest

from gate.status import ExitCode
from tests.conftest import INCIDENT, REPO, ProjectFactory, gate_cli

CHECK = f"""\
id: empty-gloss-alert
kind: prometheus_alert_rule
action_item: {INCIDENT}#AI-3
suites: [release]
params:
  file: alerts/alerts.yml
  metric: tutor_response_empty_field_total
  test_file: alerts/alerts_test.yml
"""


@pytest.fixture
def alerting(project: ProjectFactory) -> ProjectFactory:
    project.gloss_run(total=3, empty=0)
    project.write("checks/empty-gloss-alert.yaml", CHECK)
    project.write("alerts/alerts.yml", (REPO / "examples/tutor/alerts.yml").read_text())
    project.write("alerts/alerts_test.yml", (REPO / "examples/tutor/alerts_test.yml").read_text())
    return project


@pytest.mark.parametrize("command", ["validate", "run"])
def test_missing_files_are_named_at_their_params(
    alerting: ProjectFactory, chdir: object, command: str
) -> None:
    (alerting.root / "alerts/alerts.yml").unlink()
    (alerting.root / "alerts/alerts_test.yml").unlink()
    code, output = gate_cli(alerting, chdir, command)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/empty-gloss-alert.yaml:6: params.file names alerts/alerts.yml, which is not a "
        "file\n"
        "  fix: give the path of the file, relative to the folder of gate.yaml\n"
        "checks/empty-gloss-alert.yaml:8: params.test_file names alerts/alerts_test.yml, which "
        "is not a file\n"
        "  fix: give the path of the file, relative to the folder of gate.yaml\n"
        "2 problems in the gate's input; nothing was run.\n"
    )


def test_a_file_that_is_not_a_rules_file(alerting: ProjectFactory, chdir: object) -> None:
    alerting.write("alerts/alerts.yml", "alerts: []\n")
    code, output = gate_cli(alerting, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "alerts/alerts.yml: is not a Prometheus rules file: it has no list of groups\n"
        "  fix: point params.file of checks/empty-gloss-alert.yaml at the rules file, which "
        "starts with 'groups:'\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_rules_file_that_does_not_parse(alerting: ProjectFactory, chdir: object) -> None:
    alerting.write("alerts/alerts.yml", "groups: [\n")
    code, output = gate_cli(alerting, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "alerts/alerts.yml:2:1: is not valid YAML: expected the node content, but found "
        "'<stream end>'\n"
        "  fix: correct the YAML syntax at that place\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_the_tutors_rules_validate(alerting: ProjectFactory, chdir: object) -> None:
    code, _ = gate_cli(alerting, chdir, "validate")
    assert code == ExitCode.OK
