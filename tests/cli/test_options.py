"""`--config/-c` on the group or after the command, `$GATE_CONFIG`, and messages naming the file."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from gate.cli import cli
from gate.status import ExitCode
from tests.conftest import ProjectFactory


@pytest.fixture
def renamed(project: ProjectFactory, chdir: object) -> ProjectFactory:
    """A valid project whose configuration is other.yaml, with no gate.yaml beside it."""
    project.gloss_run(total=10, empty=0)
    project.config.rename(project.root / "other.yaml")
    chdir(project.root)  # type: ignore[operator]
    return project


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.output


VALID = "gate: other.yaml: valid: 1 check, 1 corpus, 1 release manifest"


def validated(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """The exit code and the last line (warnings about unenforced items come before it)."""
    code, output = invoke(*args, env=env)
    return code, output.splitlines()[-1]


@pytest.mark.parametrize(
    "args",
    [
        ("-c", "other.yaml", "validate"),
        ("--config", "other.yaml", "validate"),
        ("validate", "-c", "other.yaml"),
        ("validate", "--config", "other.yaml"),
    ],
)
def test_the_config_is_taken_before_or_after_the_command(
    renamed: ProjectFactory, args: tuple[str, ...]
) -> None:
    assert validated(*args) == (ExitCode.OK, VALID)


def test_the_environment_names_the_config(renamed: ProjectFactory) -> None:
    assert validated("validate", env={"GATE_CONFIG": "other.yaml"}) == (ExitCode.OK, VALID)


def test_the_command_line_wins_over_the_environment(renamed: ProjectFactory) -> None:
    assert validated("-c", "other.yaml", "validate", env={"GATE_CONFIG": "missing.yaml"}) == (
        ExitCode.OK,
        VALID,
    )


def test_after_the_command_wins_over_before_it(renamed: ProjectFactory) -> None:
    assert validated("-c", "missing.yaml", "validate", "-c", "other.yaml") == (ExitCode.OK, VALID)


def test_without_a_config_the_default_is_named(renamed: ProjectFactory) -> None:
    assert invoke("validate") == (
        ExitCode.INPUT_ERROR,
        "gate: gate.yaml: gate configuration not found\n  fix: create gate.yaml or fix the path\n",
    )


def test_errors_name_the_config_that_was_read(renamed: ProjectFactory) -> None:
    renamed.write(
        "checks/spanish-gloss-nonempty.yaml",
        renamed.root.joinpath("checks/spanish-gloss-nonempty.yaml")
        .read_text()
        .replace("suites: [release, smoke]", "suites: [relaese]"),
    )
    assert invoke("-c", "other.yaml", "validate") == (
        ExitCode.INPUT_ERROR,
        "checks/spanish-gloss-nonempty.yaml:4: suite 'relaese' is not defined in other.yaml "
        "(suites: release, smoke)\n"
        "  fix: did you mean 'release'?\n"
        "1 problem in the gate's input; nothing was run.\n",
    )


def test_path_errors_name_the_config_that_was_read(renamed: ProjectFactory) -> None:
    text = (renamed.root / "other.yaml").read_text()
    renamed.write("other.yaml", text.replace("path: recorded.jsonl", "path: ../recorded.jsonl"))
    assert invoke("-c", "other.yaml", "validate") == (
        ExitCode.INPUT_ERROR,
        "other.yaml:4:3: 'target.path' names '../recorded.jsonl', which climbs out of the "
        "repository (the folder of other.yaml) with '..'\n"
        "  fix: keep the file inside the repository, or set 'allow_outside_root: true' in "
        "other.yaml if the gate must read files outside it\n"
        "1 problem in the gate's input; nothing was run.\n",
    )
