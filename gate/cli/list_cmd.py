"""`gate list`: the kinds this gate knows, and the checks of this project."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from gate.cli.options import config_option, warn
from gate.status import ExitCode


def params_lines(schema: Mapping[str, Any]) -> list[str]:
    """`field (required): the response field to read`: a kind's params, from its schema."""
    required = set(schema.get("required", ()))
    lines = []
    for name, spec in schema.get("properties", {}).items():
        flag = " (required)" if name in required else ""
        text = spec.get("description", "") if isinstance(spec, Mapping) else ""
        lines.append(f"{name}{flag}: {text}" if text else f"{name}{flag}")
    return lines


@click.command("list")
@config_option
def list_command(config_path: Path) -> int:
    """List the check kinds with their params, and the checks with their action items."""
    from gate.project import load_project
    from gate.registry import load_registry

    registry = load_registry()
    click.echo("kinds:")
    for name in registry.names():
        kind_class = registry.kinds[name]
        summary = (kind_class.__doc__ or "").strip().splitlines()[0]
        click.echo(f"  {name:<24} {kind_class.scope:<9} {summary}")
        for line in params_lines(kind_class.params_schema):
            click.echo(f"      {line}")
    for name, why in sorted(registry.broken.items()):
        click.echo(f"  {name:<24} BROKEN    {why}")
    project = load_project(config_path, read_corpora=False)
    warn(project.warnings)
    click.echo("checks:")
    for check in project.checks:
        suites = ",".join(check.suites)
        mode = "blocking" if check.blocking else "advisory"
        click.echo(f"  {check.id:<32} {check.kind:<22} {suites:<14} {mode:<9} {check.action_item}")
    return ExitCode.OK
