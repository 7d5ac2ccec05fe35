"""`gate postmortem lint`: hold postmortems to the template."""

from __future__ import annotations

from pathlib import Path

import click

from gate.cli.options import config_option
from gate.status import ExitCode
from gate.words import counted


@click.group("postmortem")
def postmortem_group() -> None:
    """Work with the postmortems behind the checks."""


@postmortem_group.command("lint")
@config_option
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
def lint_command(config_path: Path, files: tuple[Path, ...]) -> int:
    """Lint postmortems (default: every file in the postmortems folder); exit 2 on an error."""
    from gate.config import load_config
    from gate.errors import InputError
    from gate.postmortems import (
        TEMPLATE_NAME,
        PostmortemError,
        lint,
        parse_postmortem,
        skipped_rules,
    )

    if not files:
        folder = load_config(config_path).postmortems_dir
        files = tuple(path for path in sorted(folder.glob("*.md")) if path.name != TEMPLATE_NAME)
    errors = warnings = 0
    for path in files:
        try:
            postmortem = parse_postmortem(path)
        except PostmortemError as exc:
            raise InputError(exc.path, exc.message, line=exc.line) from None
        for finding in lint(postmortem):
            click.echo(str(finding))
            errors += finding.severity == "error"
            warnings += finding.severity == "warning"
        skipped = skipped_rules(postmortem)
        if skipped:
            click.echo(f"{path}: Draft: skipped {', '.join(skipped)}")
    click.echo(
        f"{counted(len(files), 'postmortem')}: {counted(errors, 'error')}, "
        f"{counted(warnings, 'warning')}"
    )
    return ExitCode.INPUT_ERROR if errors else ExitCode.OK
