"""`gate new-check`: a check file scaffolded from an action item and a kind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from gate.cli.options import config_option, warn
from gate.status import ExitCode


@click.command("new-check")
@config_option
@click.option("--from", "ref", required=True, help="The action item, as <postmortem id>#AI-<n>.")
@click.option("--kind", "kind_name", required=True, help="The check kind (see `gate kinds`).")
@click.option(
    "--id", "check_id", help="The check's id (default: the postmortem's slug, the item, the kind)."
)
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Write this param (VALUE is YAML: 0.02, [a, b], {type: object}); repeatable.",
)
@click.option(
    "--known-bad",
    "known_bad",
    metavar="MANIFEST",
    help="Also name this release (the incident's) as known bad, expected to be blocked by the "
    "new check: `gate prove` replays it.",
)
def new_check_command(
    config_path: Path,
    ref: str,
    kind_name: str,
    check_id: str | None,
    params: tuple[str, ...],
    known_bad: str | None,
) -> int:
    """Write checks/<id>.yaml linked to its action item, with the kind's params to fill in.

    Other check files need not validate yet: the new file is checked on its
    own, and what is left to fill in is listed. Only `--known-bad`, which reads
    every known releases file, needs the rest of the project to validate.
    """
    from gate.checks import load_check
    from gate.config import load_config
    from gate.corpus import corpus_name
    from gate.errors import InputError, InputErrors, display_path
    from gate.links import index_items, load_postmortems
    from gate.registry import load_registry
    from gate.reports.atomic import write_atomic
    from gate.scaffold import check_ids, default_id, scaffold_check
    from gate.schema import nearest

    config = load_config(config_path)
    registry = load_registry()
    postmortems, unreadable = load_postmortems(config.postmortems_dir)
    items = index_items(postmortems)
    linked = items.get(ref)
    if linked is None:
        guess = nearest(ref, items)
        missing = InputError(
            None,
            f"action item {ref} does not exist",
            fix=f"did you mean {guess}?" if guess else "run `gate trace` to see the action items",
        )
        raise InputErrors([*unreadable, missing]) if unreadable else missing
    kind_class = registry.find(kind_name)
    given = _given(params, kind_class.params_schema.get("properties", {}))
    if check_id is not None:
        _require_check_id(check_id)
    check_id = check_id or default_id(linked, kind_name)
    path = config.checks_dir / f"{check_id}.yaml"
    taken = check_ids(config.checks_dir).get(check_id)
    if path.exists() or taken is not None:
        raise InputError(
            taken or path, f"already holds the check '{check_id}'", fix="choose another --id"
        )
    if not linked.item.enforced:
        warn(
            [
                f"{ref} is marked '{linked.item.enforced_as or 'manual'}' in its postmortem, "
                "a process change no check counts toward; if this check enforces it, "
                "mark it 'gate' there"
            ]
        )
    corpora = {corpus_name(found): found for found in sorted(config.corpora_dir.glob("*.jsonl"))}
    text = scaffold_check(check_id, linked, kind_class, sorted(corpora), given)
    recorded = None
    if known_bad is not None:
        from gate.project import load_project
        from gate.proof.record import record_known_bad

        # First: it is the step that may refuse, and then no check file is left behind.
        project = load_project(config_path, read_corpora=False)
        recorded = record_known_bad(project, linked.postmortem.id, known_bad, check_id)
    write_atomic(path, text.encode("utf-8"), "the check file")
    try:
        load_check(
            path,
            registry,
            suites=config.suites,
            corpora=corpora,
            corpora_dir=config.corpora_dir,
            paths=config.path_policy,
            config_name=config.display_name,
        )
    except (InputError, InputErrors) as exc:
        problems = exc.errors if isinstance(exc, InputErrors) else [exc]
        click.echo(f"wrote {display_path(path)}; fill in what `gate validate` says is left:")
        for problem in problems:
            click.echo("  " + str(problem).replace("\n", "\n  "))
    else:
        click.echo(
            f"wrote {display_path(path)}; it validates: try it with `gate run --check {check_id}`"
        )
    if recorded is not None:
        click.echo(recorded)
    return ExitCode.OK


def _given(params: tuple[str, ...], properties: dict[str, Any]) -> dict[str, Any]:
    """`--param NAME=VALUE` options as params, each VALUE read as YAML."""
    import yaml

    from gate.errors import InputError
    from gate.schema import nearest

    given: dict[str, Any] = {}
    for option in params:
        name, found, text = option.partition("=")
        if not found or name not in properties:
            guess = nearest(name, properties)
            raise InputError(
                None,
                f"--param {option}: the kind has no param '{name}'"
                if found
                else f"--param {option}: expected NAME=VALUE",
                fix=f"did you mean '{guess}'?"
                if guess
                else f"its params: {', '.join(properties) or 'none'}",
            )
        try:
            given[name] = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InputError(
                None,
                f"--param {option}: the value is not YAML ({exc.__class__.__name__})",
                fix="quote it, or write it as YAML: 0.02, answer, [a, b], {type: object}",
            ) from None
    return given


def _require_check_id(check_id: str) -> None:
    """An --id a check file may hold, and so a name within checks/ (never `../x`)."""
    import re

    from gate.errors import InputError
    from gate.schema import packaged_schema

    pattern = packaged_schema("check.schema.json")["properties"]["id"]["pattern"]
    if re.search(pattern, check_id) is None:
        raise InputError(
            None,
            f"--id '{check_id}' is not a check id",
            fix="use lower-case letters, digits, '.', '_' and '-', starting with a letter "
            "or digit, such as spanish-gloss-nonempty",
        )
