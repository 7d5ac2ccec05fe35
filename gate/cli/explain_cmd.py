"""`gate explain CHECK`: why a check exists, in the postmortem's own terms."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from gate.cli.options import config_option
from gate.status import ExitCode


@click.command("explain")
@config_option
@click.argument("check_id")
def explain_command(config_path: Path, check_id: str) -> int:
    """Say which postmortem, factor and action item a check enforces, and what it measures."""
    from gate.project import load_project

    project = load_project(config_path, read_corpora=False)
    check = project.check(check_id)
    linked = project.action_items[check.action_item]
    item, postmortem = linked.item, linked.postmortem
    factor = postmortem.factor(item.factor) if item.factor else None
    kind_class = project.registry.kinds[check.kind]
    kind_doc = textwrap.dedent((kind_class.__doc__ or "").strip("\n"))
    lines = [
        f"{check.id} ({check.path.name})",
        f"  postmortem:  {postmortem.id}",
        f"               {postmortem.title}",
    ]
    if factor is not None:
        kind = f"[{factor.type}] " if factor.type else ""
        lines.append(f"  factor:      {factor.name} {kind}{factor.text}")
    priority = f", priority {item.priority}" if item.priority else ""
    lines += [
        f"  action item: {item.id}: {item.action}",
        f"  owner:       {item.owner}, due {item.due}{priority}",
        f"  done when:   {item.done_when_text}",
        f"  measures:    {check.description or kind_doc.splitlines()[0]}",
        f"  kind:        {check.kind}; suites: {', '.join(check.suites)}; "
        + ("blocking" if check.blocking else "advisory"),
        "  params:      " + (", ".join(f"{k}={v}" for k, v in check.params.items()) or "none"),
    ]
    click.echo("\n".join(lines))
    return ExitCode.OK
