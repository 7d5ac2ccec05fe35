"""corpus_coverage's validate hook: the corpus it counts must exist.

A misspelt corpus once validated clean and then errored at run time; now
`gate validate` and `gate run` both refuse it as the project loads (exit 2).
"""

from __future__ import annotations

import pytest

from gate.status import ExitCode
from tests.conftest import INCIDENT, ProjectFactory, gate_cli

CHECK = f"""\
id: ticket-coverage
kind: corpus_coverage
action_item: {INCIDENT}#AI-2
suites: [release]
params:
  corpus: {{corpus}}
  min_items: 2
"""


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_misspelt_corpus_suggests_the_nearest(
    project: ProjectFactory, chdir: object, command: str
) -> None:
    project.gloss_run(total=3, empty=0)
    project.corpus("tickets", 3, prefix="tk")
    project.write("checks/ticket-coverage.yaml", CHECK.format(corpus="tikets"))
    code, output = gate_cli(project, chdir, command)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/ticket-coverage.yaml:6: params.corpus 'tikets' does not exist "
        "(corpora: regression, tickets)\n"
        "  fix: did you mean 'tickets'?\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_an_unknown_corpus_is_to_be_added_where_gate_yaml_keeps_corpora(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=3, empty=0)
    (project.root / "corpora").rename(project.root / "prompts")
    project.write("gate.yaml", "paths: {corpora: prompts}\n" + project.config.read_text())
    project.write("checks/ticket-coverage.yaml", CHECK.format(corpus="billing"))
    code, output = gate_cli(project, chdir, "validate")
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/ticket-coverage.yaml:6: params.corpus 'billing' does not exist "
        "(corpora: regression)\n"
        "  fix: add prompts/billing.jsonl\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_corpus_that_exists_validates(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=3, empty=0)
    project.write("checks/ticket-coverage.yaml", CHECK.format(corpus="regression"))
    code, output = gate_cli(project, chdir, "validate")
    assert code == ExitCode.OK
    assert output.splitlines()[-1] == (
        "gate: gate.yaml: valid: 2 checks, 1 corpus, 1 release manifest"
    )
