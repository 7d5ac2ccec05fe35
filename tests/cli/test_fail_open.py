"""No run without a judgement: a suite or a project that selects no check is exit 2."""

from __future__ import annotations

from gate.status import ExitCode
from tests.conftest import ProjectFactory, gate_cli

NIGHTLY_CONFIG = """\
manifest: releases/v2.3.4.yaml
target:
  type: recorded
  path: recorded.jsonl
suites:
  release: {}
  smoke: {}
  nightly: {}
"""


EMPTY_SUITE = [
    "gate: gate.yaml:8: suite 'nightly' selects no check, so a run of it would judge nothing and "
    "could only pass; suites with checks: release (1 check), smoke (1 check)",
    "  fix: add 'nightly' to the suites of the checks it should run, or pass --suite with "
    "a suite that selects checks",
]


def test_a_suite_that_selects_no_check_is_an_input_error(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=10, empty=0)
    project.write("gate.yaml", NIGHTLY_CONFIG)
    code, output = gate_cli(project, chdir, "run", "--suite", "nightly", "--report-json", "r.json")
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines() == EMPTY_SUITE
    assert not (project.root / "r.json").exists()


def test_validate_warns_of_the_suite_a_run_would_refuse(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=10, empty=0)
    project.write("gate.yaml", NIGHTLY_CONFIG)
    code, output = gate_cli(project, chdir, "validate")
    lines = output.splitlines()
    assert code == ExitCode.OK
    assert lines[0] == (
        "gate: warning: gate.yaml:8: suite 'nightly' selects no check, so a run of it "
        "would judge nothing and could only pass; suites with checks: release (1 check), "
        "smoke (1 check)"
    )
    assert lines[-1] == "gate: gate.yaml: valid: 1 check, 1 corpus, 1 release manifest"


def test_a_smoke_bake_of_a_suite_with_no_check_is_an_input_error(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=10, empty=0)
    project.write(
        "gate.yaml",
        NIGHTLY_CONFIG.replace(
            "type: recorded\n  path: recorded.jsonl", "type: http\n  url: http://127.0.0.1:9"
        ),
    )
    code, output = gate_cli(
        project, chdir, "smoke", "--suite", "nightly", "--target-url", "http://127.0.0.1:9"
    )
    assert (code, output.splitlines()) == (ExitCode.INPUT_ERROR, EMPTY_SUITE)


def test_an_empty_checks_folder_is_an_input_error(project: ProjectFactory, chdir: object) -> None:
    project.gloss_run(total=10, empty=0)
    (project.root / "checks/spanish-gloss-nonempty.yaml").unlink()
    code, output = gate_cli(project, chdir, "run")
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines() == [
        "gate: checks: holds no check file, so suite 'release' would judge nothing and could "
        "only pass",
        "  fix: add a check file (gate new-check writes one for an action item)",
    ]


def test_an_unknown_suite_names_the_line_of_the_suites(
    project: ProjectFactory, chdir: object
) -> None:
    project.gloss_run(total=10, empty=0)
    code, output = gate_cli(project, chdir, "run", "--suite", "nighlty")
    assert code == ExitCode.INPUT_ERROR
    assert output.splitlines() == [
        "gate: gate.yaml:5: suite 'nighlty' is not defined; suites: release, smoke",
        "  fix: pass --suite with one of them",
    ]
