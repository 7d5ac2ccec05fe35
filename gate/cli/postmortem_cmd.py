"""`gate postmortem lint` and `gate postmortem new`: postmortems held to their template."""

from __future__ import annotations

from pathlib import Path

import click

from gate.cli.options import config_option
from gate.status import ExitCode
from gate.words import counted

# The names of gate.postmortems.templates.TEMPLATES, spelt out so that `gate --help`
# need not import the Markdown parser; a test keeps the two the same.
TEMPLATE_NAMES = ("gate", "analysis", "four-section")


@click.group("postmortem")
def postmortem_group() -> None:
    """Work with the postmortems behind the checks."""


def _configured_template(config_path: Path, *, required: bool) -> tuple[str, Path | None]:
    """gate.yaml's `postmortems.template` and folder; without a gate.yaml, `auto` and None.

    Files named on the command line are linted without a gate.yaml, unless `-c` names one.
    """
    from gate.config import load_config

    source = click.get_current_context().get_parameter_source("config_path")
    if not required and source is click.core.ParameterSource.DEFAULT and not config_path.exists():
        return "auto", None
    config = load_config(config_path)
    return config.postmortem_template, config.postmortems_dir


@postmortem_group.command("lint")
@config_option
@click.option(
    "--template",
    "template_name",
    type=click.Choice(("auto", *TEMPLATE_NAMES)),
    help="Read every file as this template (default: gate.yaml's postmortems.template, "
    "else auto: each file as the template it follows).",
)
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, dir_okay=False))
def lint_command(config_path: Path, template_name: str | None, files: tuple[Path, ...]) -> int:
    """Lint postmortems (default: every file in the postmortems folder); exit 2 on an error."""
    from gate.errors import InputError, display_path
    from gate.postmortems import (
        TEMPLATE_NAME,
        PostmortemError,
        lint,
        not_applicable,
        parse_postmortem,
        skipped_rules,
    )

    configured, folder = _configured_template(config_path, required=not files)
    template = template_name or configured
    if folder is not None and not files:
        files = tuple(path for path in sorted(folder.glob("*.md")) if path.name != TEMPLATE_NAME)
    errors = warnings = 0
    for path in files:
        try:
            postmortem = parse_postmortem(path, template)
        except PostmortemError as exc:
            raise InputError(exc.path, exc.message, line=exc.line) from None
        for finding in lint(postmortem):
            click.echo(str(finding))
            errors += finding.severity == "error"
            warnings += finding.severity == "warning"
        shown = display_path(path)
        unused = not_applicable(postmortem)
        if unused:
            name = postmortem.template.name
            click.echo(f"{shown}: {name} template: not applicable: {', '.join(unused)}")
        skipped = skipped_rules(postmortem)
        if skipped:
            click.echo(f"{shown}: Draft: skipped {', '.join(skipped)}")
    click.echo(
        f"{counted(len(files), 'postmortem')}: {counted(errors, 'error')}, "
        f"{counted(warnings, 'warning')}"
    )
    return ExitCode.INPUT_ERROR if errors else ExitCode.OK


@postmortem_group.command("new")
@config_option
@click.option(
    "--template",
    "template_name",
    type=click.Choice(TEMPLATE_NAMES),
    help="The template to write (default: gate.yaml's postmortems.template, else gate).",
)
@click.argument("ident", metavar="ID")
@click.argument("title")
def new_command(config_path: Path, template_name: str | None, ident: str, title: str) -> int:
    """Write postmortems/ID.md from a template, with its id and title filled in."""
    from gate.errors import InputError, display_path
    from gate.postmortems.skeleton import new_postmortem
    from gate.postmortems.templates import TEMPLATES
    from gate.reports.atomic import write_atomic

    configured, folder = _configured_template(config_path, required=True)
    assert folder is not None  # a required gate.yaml always names the folder
    template = TEMPLATES[template_name or ("gate" if configured == "auto" else configured)]
    problem = template.id_problem(ident)
    if problem:
        raise InputError(None, f"the {problem}", fix=template.id_fix)
    if not title.strip():
        raise InputError(None, "the title is empty", fix="give the postmortem a one-line title")
    path = folder / f"{ident}.md"
    if path.exists():
        raise InputError(path, "already exists", fix="choose another id, or edit that file")
    write_atomic(path, new_postmortem(template, ident, title).encode("utf-8"), "the postmortem")
    shown = display_path(path)
    click.echo(
        f"wrote {shown} ({template.name} template): fill in every <placeholder>, "
        f"then run `gate postmortem lint {shown}`"
    )
    return ExitCode.OK
