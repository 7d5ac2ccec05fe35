"""A corpora folder that is not there is reported as a missing folder, at the configured path."""

from __future__ import annotations

import pytest

from gate.status import ExitCode
from tests.conftest import ProjectFactory, gate_cli


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_missing_corpora_folder_is_named_as_gate_yaml_configures_it(
    project: ProjectFactory, chdir: object, command: str
) -> None:
    project.gloss_run(total=3, empty=0)
    project.write("gate.yaml", "paths: {corpora: data/prompts}\n" + project.config.read_text())
    code, output = gate_cli(project, chdir, command)
    assert code == ExitCode.INPUT_ERROR
    assert output == (
        "checks/spanish-gloss-nonempty.yaml:5: corpus 'regression' cannot be read: the corpora "
        "folder data/prompts does not exist\n"
        "  fix: create data/prompts with regression.jsonl in it, or set paths.corpora in "
        "gate.yaml to the folder that holds the corpora\n"
        "1 problem in the gate's input; nothing was run.\n"
    )


def test_a_missing_folder_no_check_reads_is_a_warning(
    project: ProjectFactory, chdir: object
) -> None:
    project.write(
        "checks/decode-budget-pin.yaml",
        "id: decode-budget-pin\nkind: config_pin\n"
        "action_item: INC-2026-08-14-tutor-spanish-gloss-missing#AI-1\nsuites: [release]\n"
        "params: {key: max_decode_tokens, min: 24}\n",
    )
    (project.root / "corpora").rmdir()
    code, output = gate_cli(project, chdir, "validate")
    assert code == ExitCode.OK
    assert output.splitlines()[0] == ("gate: warning: corpora: the corpora folder does not exist")
