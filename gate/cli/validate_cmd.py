"""`gate validate`: check every input file without running anything."""

from __future__ import annotations

from pathlib import Path

import click

from gate.cli.options import config_option, warn
from gate.status import ExitCode


@click.command("validate")
@config_option
@click.option(
    "--manifest",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also check this release manifest.",
)
def validate_command(config_path: Path, manifest: Path | None) -> int:
    """Validate gate.yaml, the checks, corpora and manifests; exit 2 on any problem."""
    from gate.crosscheck import empty_suites
    from gate.power import power_warnings
    from gate.project import load_project
    from gate.repeats import same_request_warnings
    from gate.words import counted

    project = load_project(config_path, manifest=manifest)
    warn(project.warnings)
    # A suite with no checks yet is fine while a project grows (gate init writes
    # release and smoke), but `gate run --suite` of it is exit 2: say so now.
    warn(
        [
            f"{error.where}: {error.message}"
            for error in empty_suites(project.config, project.checks)
        ]
    )
    warn(same_request_warnings(project))
    warn(power_warnings(project))
    warn(
        [
            f"{linked.ref} is gate-enforced but no check names it (see `gate trace`)"
            for linked in project.unenforced()
        ]
    )
    click.echo(
        f"gate: {config_path}: valid: {counted(len(project.checks), 'check')}, "
        f"{counted(len(project.corpora), 'corpus', 'corpora')}, "
        f"{counted(len(project.releases), 'release manifest')}"
    )
    return ExitCode.OK
