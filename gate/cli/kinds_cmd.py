"""`gate kinds`: the check kinds installed, and what each one takes."""

from __future__ import annotations

import click

from gate.status import ExitCode


@click.group("kinds", invoke_without_command=True)
@click.pass_context
def kinds_group(ctx: click.Context) -> int | None:
    """List the check kinds; `gate kinds show KIND` documents one."""
    if ctx.invoked_subcommand is not None:
        return None
    from gate.kinds.docs import summary
    from gate.registry import load_registry

    registry = load_registry()
    for name in registry.names():
        kind_class = registry.kinds[name]
        first = summary(kind_class).splitlines()[0]
        click.echo(f"{name:<24} {kind_class.scope:<9} {first}")
    for name, why in sorted(registry.broken.items()):
        click.echo(f"{name:<24} BROKEN    {why}")
    click.echo("\n`gate kinds show KIND` lists a kind's params and shows an example check.")
    return ExitCode.OK


@kinds_group.command("show")
@click.argument("kind_name", metavar="KIND")
def show_command(kind_name: str) -> int:
    """Describe a kind: every param with its type, default and allowed values, and an example."""
    from gate.kinds.docs import render_text
    from gate.registry import load_registry

    click.echo(render_text(load_registry().find(kind_name)), nl=False)
    return ExitCode.OK
