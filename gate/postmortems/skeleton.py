"""A new postmortem: a template's skeleton, with the id and the title filled in."""

from __future__ import annotations

from importlib import resources

from gate.postmortems.templates import Template


def skeleton(template: Template) -> str:
    """The file a template's new postmortems start from (for `gate`, postmortems/TEMPLATE.md)."""
    folder = resources.files("gate.postmortems").joinpath("skeletons")
    return folder.joinpath(f"{template.name}.md").read_text(encoding="utf-8")


def new_postmortem(template: Template, ident: str, title: str) -> str:
    """The text of a new postmortem: the skeleton under a head carrying the id and the title.

    The caller checks the id first (`Template.id_problem`); the title is kept on one line.
    """
    head = template.head.format(id=ident, title=" ".join(title.split()))
    rest = skeleton(template).split("\n", head.count("\n") + 1)[-1]
    return f"{head}\n{rest}"
