"""Checks on the contributing factors and on the frame around them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gate.postmortems.checks import Issue
from gate.postmortems.model import FACTORS, Postmortem
from gate.postmortems.templates import TEMPLATES

_ID = re.compile(r"F[1-9]\d*")
TYPES = ("technical", "process", "detection")
MIN_FACTORS, MAX_FACTORS = 3, 5
#: The sentences that keep the section from settling on one cause, one per template that has one;
#: a file that mixes templates may keep either.
NO_ROOT_CAUSE = tuple(t.no_root_cause for t in TEMPLATES.values() if t.no_root_cause)


def factor_count(pm: Postmortem) -> Iterator[Issue]:
    """There are 3 to 5 contributing factors."""
    section = pm.section(FACTORS)
    count = len(pm.factors)
    if section is not None and not MIN_FACTORS <= count <= MAX_FACTORS:
        yield Issue(
            section.line,
            f"{count} contributing factors are listed, not {MIN_FACTORS} to {MAX_FACTORS}",
            "list the specific factors that combined; merge overlapping ones, add missing ones.",
        )


def factor_id(pm: Postmortem) -> Iterator[Issue]:
    """Each factor starts with a unique id F1, F2, ..."""
    seen: dict[str, int] = {}
    for factor in pm.factors:
        if not _ID.fullmatch(factor.id):
            problem = (
                f"factor id '{factor.id}' is not F<n>" if factor.id else "the factor has no id"
            )
            yield Issue(factor.line, problem, "start the item with its id: F1, F2, ...")
        elif factor.id in seen:
            yield Issue(
                factor.line,
                f"factor id {factor.id} is already used on line {seen[factor.id]}",
                "give each factor its own id.",
            )
        else:
            seen[factor.id] = factor.line


def factor_type(pm: Postmortem) -> Iterator[Issue]:
    """Each factor is typed technical, process or detection."""
    for factor in pm.factors:
        if factor.type not in TYPES:
            shown = f"type '{factor.type}'" if factor.type else "no type"
            yield Issue(
                factor.line,
                f"factor {factor.name or '?'} has {shown}, not technical, process or detection",
                pm.template.factor_type_fix,
            )


def factor_counterfactual(pm: Postmortem) -> Iterator[Issue]:
    """Each factor says what would have happened without it."""
    for factor in pm.factors:
        if not factor.counterfactual.strip(" .<>"):
            yield Issue(
                factor.line,
                f"factor {factor.name or '?'} has no counterfactual",
                f"add a line '{pm.template.counterfactual}'",
            )


def no_root_cause(pm: Postmortem) -> Iterator[Issue]:
    """The factors section keeps the sentence that no single root cause is named."""
    section = pm.section(FACTORS)
    if section is None:
        return
    texts = [" ".join(b.text.split()).casefold() for b in pm.blocks if b.section == section.title]
    if not any(sentence.casefold() in text for sentence in NO_ROOT_CAUSE for text in texts):
        yield Issue(
            section.line,
            "the section does not say that no single root cause is named",
            f"keep the sentence '{pm.template.no_root_cause}' above the list of factors.",
        )


def factor_has_action(pm: Postmortem) -> Iterator[Issue]:
    """Every factor is addressed by at least one action item."""
    if not pm.action_items:
        return  # a missing action table is action-table's finding, not one per factor
    cited = {f.line for item in pm.action_items if (f := pm.factor(item.factor)) is not None}
    for factor in pm.factors:
        if factor.name and factor.line not in cited:
            yield Issue(
                factor.line,
                f"factor {factor.name} has no action item",
                f"add an action item whose Factor is {factor.name}.",
            )
