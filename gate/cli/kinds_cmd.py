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
    from gate.errors import InputError
    from gate.kinds.docs import render_text
    from gate.registry import load_registry
    from gate.schema import nearest

    registry = load_registry()
    if kind_name in registry.broken:
        raise InputError(None, registry.broken[kind_name])
    kind_class = registry.kinds.get(kind_name)
    if kind_class is None:
        guess = nearest(kind_name, registry.names())
        raise InputError(
            None,
            f"kind '{kind_name}' is not known; known kinds: {', '.join(registry.names())}",
            fix=f"did you mean '{guess}'?" if guess else "run `gate kinds` to see them",
        )
    click.echo(render_text(kind_class), nl=False)
    return ExitCode.OK
