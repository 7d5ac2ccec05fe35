"""prometheus_query's validate hook: the alert it takes its query from is in its rules file.

`gate validate` and `gate run` both refuse, as the project loads (exit 2), a
check whose alert file is missing or does not hold the alert it names.
"""

from __future__ import annotations

import pytest

from gate.status import ExitCode
from tests.conftest import INCIDENT, REPO, ProjectFactory, gate_cli

CHECK = f"""\
id: empty-gloss-share
kind: prometheus_query
action_item: {INCIDENT}#AI-3
suites: [release]
params:
  alert: {{{{file: alerts/alerts.yml, name: {{name}}}}}}
  window: 15m
"""


@pytest.fixture
def querying(project: ProjectFactory) -> ProjectFactory:
    project.gloss_run(total=3, empty=0)
    project.write("alerts/alerts.yml", (REPO / "examples/tutor/alerts.yml").read_text())
    return project


@pytest.mark.parametrize("command", ["validate", "run"])
def test_an_alert_the_rules_file_does_not_hold(
    querying: ProjectFactory, chdir: object, command: str
) -> None:
    querying.write("checks/share.yaml", CHECK.format(name="TutorSpanishGlossEmty"))
    code, output = gate_cli(querying, chdir, command)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/share.yaml:6: params.alert.name 'TutorSpanishGlossEmty' is no alert of "
        "alerts/alerts.yml (alerts: TutorSpanishGlossEmpty)\n"
        "  fix: did you mean 'TutorSpanishGlossEmpty'?\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_rules_file_that_is_not_there(querying: ProjectFactory, chdir: object) -> None:
    (querying.root / "alerts/alerts.yml").unlink()
    querying.write("checks/share.yaml", CHECK.format(name="TutorSpanishGlossEmpty"))
    code, output = gate_cli(querying, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/share.yaml:6: params.alert.file names alerts/alerts.yml, which is not a file\n"
        "  fix: give the path of the rules file, relative to the folder of gate.yaml\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_the_tutors_alert_validates(querying: ProjectFactory, chdir: object) -> None:
    querying.write("checks/share.yaml", CHECK.format(name="TutorSpanishGlossEmpty"))
    code, _ = gate_cli(querying, chdir, "validate")
    assert code == ExitCode.OK
