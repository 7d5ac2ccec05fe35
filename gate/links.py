"""Links between checks and postmortem action items, resolved in both directions."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gate.checks import CheckSpec
from gate.errors import InputError
from gate.postmortems import (
    TEMPLATE_NAME,
    ActionItem,
    Finding,
    Postmortem,
    PostmortemError,
    lint,
    parse_postmortem,
)
from gate.schema import nearest


@dataclass(frozen=True)
class LinkedItem:
    """An action item together with the postmortem it belongs to."""

    postmortem: Postmortem
    item: ActionItem

    @property
    def ref(self) -> str:
        return self.item.ref

    def to_json(self) -> dict[str, Any]:
        """What reports say about the action item behind a check.

        A value the postmortem's template has no column for (a priority, a
        factor, a Done when) is None.
        """
        item = self.item
        factor = self.postmortem.factor(item.factor) if item.factor else None
        return {
            "ref": item.ref,
            "postmortem": self.postmortem.id,
            "postmortem_title": self.postmortem.title,
            "template": self.postmortem.template.name,
            "action": item.action,
            "owner": item.owner,
            "due": item.due,
            "priority": item.priority or None,
            "factor": item.factor or None,
            "factor_text": factor.text if factor else None,
            "done_when": item.done_when or None,
            "enforced": "gate" if item.enforced else "manual",
        }


def service_of(postmortem: Postmortem) -> str | None:
    """The service a postmortem is about (`- Service: ...` in its header), if it says."""
    field = postmortem.field("Service")
    return field.value.strip() if field and field.value.strip() else None


def in_scope(postmortem: Postmortem, service: str) -> bool:
    """Whether this gate answers for the postmortem's action items.

    A postmortem that names another service is shown but not counted: its
    checks live in that service's gate.
    """
    named = service_of(postmortem)
    return named is None or named == service


def load_postmortems(
    folder: Path, template: str = "auto"
) -> tuple[list[Postmortem], list[InputError]]:
    """Parse every postmortem, as `template`; a file that cannot be parsed is an InputError."""
    if not folder.is_dir():
        return [], []
    errors: list[InputError] = []
    postmortems: list[Postmortem] = []
    for path in sorted(folder.glob("*.md")):
        if path.name == TEMPLATE_NAME:
            continue
        try:
            postmortems.append(parse_postmortem(path, template))
        except PostmortemError as exc:
            errors.append(InputError(exc.path, exc.message, line=exc.line))
    return postmortems, errors


def lint_findings(postmortems: list[Postmortem]) -> list[Finding]:
    return [finding for postmortem in postmortems for finding in lint(postmortem)]


def finding_error(finding: Finding) -> InputError:
    return InputError(
        finding.path, f"[{finding.rule}] {finding.message}", line=finding.line, fix=finding.fix
    )


def index_items(postmortems: list[Postmortem]) -> dict[str, LinkedItem]:
    """Every action item by its reference."""
    return {
        item.ref: LinkedItem(postmortem, item)
        for postmortem in postmortems
        for item in postmortem.action_items
    }


def unresolved(check: CheckSpec, items: Mapping[str, LinkedItem]) -> InputError | None:
    """Why a check's action_item does not resolve, with the nearest existing reference."""
    if check.action_item in items:
        return None
    postmortem_id = check.postmortem_id
    same_postmortem = sorted(ref for ref in items if ref.startswith(postmortem_id + "#"))
    if same_postmortem:
        ids = ", ".join(ref.split("#", 1)[1] for ref in same_postmortem)
        message = f"action item {check.action_item} does not exist; {postmortem_id} has {ids}"
        fix = "point action_item at one of them"
    else:
        guess = nearest(postmortem_id, {ref.split("#", 1)[0] for ref in items})
        message = f"postmortem {postmortem_id} does not exist in postmortems/"
        fix = f"did you mean {guess}?" if guess else "add the postmortem, or fix the reference"
    return InputError(check.path, message, line=check.action_item_line, fix=fix)
