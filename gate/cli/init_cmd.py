"""`gate init`: a gate for a service of your own, written into this repository."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from gate.status import ExitCode


@click.command("init")
@click.option(
    "--preset",
    type=click.Choice(["openai_chat", "http", "recorded"]),
    help="How the service is asked: a chat completions server, a JSON endpoint taking "
    "{id, prompt}, or answers recorded in a file (default: openai_chat).",
)
@click.option("--url", help="The service's URL (for http, the endpoint's whole URL).")
@click.option("--field", help="The answer field the example check reads (default: answer).")
@click.option("--model", default="default", show_default=True, help="The model, for openai_chat.")
@click.option("--name", help="The service's name (default: this folder's).")
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
def init_command(
    preset: str | None,
    url: str | None,
    field: str | None,
    model: str,
    name: str | None,
    force: bool,
) -> int:
    """Write gate.yaml, an example check, corpus and postmortem, and a release workflow.

    On a terminal it asks for what is not given; elsewhere it asks nothing and
    takes the defaults. It never overwrites a file without --force.
    """
    from gate.errors import InputError, InputErrors, require_http_url
    from gate.reports.atomic import write_atomic
    from gate.starter import DEFAULT_URLS, Answers, check_field, starter_files

    root = Path.cwd()
    asking = _on_a_terminal()
    if preset is None:
        preset = (
            click.prompt(
                "How is the service asked?",
                type=click.Choice(["openai_chat", "http", "recorded"]),
                default="openai_chat",
            )
            if asking
            else "openai_chat"
        )
    if url is None and preset != "recorded" and asking:
        url = click.prompt("Its URL", default=DEFAULT_URLS[preset])
    if field is None:
        field = click.prompt("The answer field to check", default="answer") if asking else "answer"
    check_field(field)
    if url is not None:
        require_http_url("--url", url, "the service's URL, such as http://127.0.0.1:8000")
    answers = Answers(name=name or root.name, preset=preset, url=url, field=field, model=model)
    files = starter_files(answers)
    existing = [root / path for path in files if (root / path).exists()]
    if existing and not force:
        raise InputErrors(
            InputError(path, "exists; gate init writes no file over another", fix="pass --force")
            for path in existing
        )
    # Every folder first: one that cannot be made stops init before any file is written.
    for folder in sorted({(root / path).parent for path in files}):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(
                folder,
                f"cannot be made a folder: {exc.strerror}",
                fix="move the file of that name away, or run gate init elsewhere",
            ) from None
    for path, text in files.items():
        write_atomic(root / path, text.encode("utf-8"), "the starter file")
        click.echo(f"wrote {path}")
    click.echo(
        "next: `gate validate`, then `gate run`; write your first postmortem from "
        "postmortems/TEMPLATE.md and its checks with `gate new-check`"
    )
    return ExitCode.OK


def _on_a_terminal() -> bool:
    # A person may be asked; a CI job or a script piping into gate is never waited on.
    return sys.stdin.isatty()
