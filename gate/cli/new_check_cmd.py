"""`gate new-check`: a check file scaffolded from an action item and a kind."""

from __future__ import annotations

from pathlib import Path

import click

from gate.cli.options import config_option
from gate.status import ExitCode


@click.command("new-check")
@config_option
@click.option("--from", "ref", required=True, help="The action item, as <postmortem id>#AI-<n>.")
@click.option("--kind", "kind_name", required=True, help="The check kind (see `gate list`).")
@click.option("--id", "check_id", help="The check's id (default: from the kind and the item).")
@click.option(
    "--known-bad",
    "known_bad",
    metavar="MANIFEST",
    help="Also name this release (the incident's) as known bad, expected to be blocked by the "
    "new check: `gate prove` replays it.",
)
def new_check_command(
    config_path: Path, ref: str, kind_name: str, check_id: str | None, known_bad: str | None
) -> int:
    """Write checks/<id>.yaml linked to its action item, with the kind's params documented."""
    from gate.errors import InputError
    from gate.project import load_project
    from gate.reports.atomic import write_atomic
    from gate.scaffold import scaffold_check
    from gate.schema import nearest

    project = load_project(config_path, read_corpora=False)
    linked = project.action_items.get(ref)
    if linked is None:
        guess = nearest(ref, project.action_items)
        raise InputError(
            None,
            f"action item {ref} does not exist",
            fix=f"did you mean {guess}?" if guess else "run `gate trace` to see the action items",
        )
    kind_class = project.registry.kinds.get(kind_name)
    if kind_class is None:
        guess = nearest(kind_name, project.registry.names())
        raise InputError(
            None,
            f"kind '{kind_name}' is not known",
            fix=f"did you mean '{guess}'?" if guess else "run `gate list` to see the kinds",
        )
    check_id = check_id or f"{linked.item.id.lower()}-{kind_name.replace('_', '-')}"
    path = project.config.checks_dir / f"{check_id}.yaml"
    if path.exists():
        raise InputError(path, "already exists", fix="choose another --id")
    text = scaffold_check(check_id, linked, kind_class, sorted(project.corpora))
    recorded = None
    if known_bad is not None:
        from gate.proof.record import record_known_bad

        # First: it is the step that may refuse, and then no check file is left behind.
        recorded = record_known_bad(project, linked.postmortem.id, known_bad, check_id)
    write_atomic(path, text.encode("utf-8"))
    click.echo(f"wrote {path}: fill in the params marked TODO, then run `gate validate`")
    if recorded is not None:
        click.echo(recorded)
    return ExitCode.OK
