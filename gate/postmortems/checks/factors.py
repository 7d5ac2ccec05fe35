"""Checks on the contributing factors and on the frame around them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gate.postmortems.checks import Issue
from gate.postmortems.model import FACTORS, Postmortem

_ID = re.compile(r"F[1-9]\d*")
TYPES = ("technical", "process", "detection")
MIN_FACTORS, MAX_FACTORS = 3, 5
#: The sentence that keeps the section from settling on one cause.
NO_ROOT_CAUSE = "This postmortem names no single root cause."


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
                f"factor {factor.id or '?'} has {shown}, not technical, process or detection",
                "write [technical], [process] or [detection] after the id.",
            )


def factor_counterfactual(pm: Postmortem) -> Iterator[Issue]:
    """Each factor says what would have happened without it."""
    for factor in pm.factors:
        if not factor.counterfactual.strip(" .<>"):
            yield Issue(
                factor.line,
                f"factor {factor.id or '?'} has no counterfactual",
                "add a line 'Counterfactual: had <X> been <Y>, the incident would have <Z>.'",
            )


def no_root_cause(pm: Postmortem) -> Iterator[Issue]:
    """The factors section keeps the sentence that no single root cause is named."""
    section = pm.section(FACTORS)
    if section is None:
        return
    wanted = NO_ROOT_CAUSE.casefold()
    texts = (" ".join(b.text.split()).casefold() for b in pm.blocks if b.section == section.title)
    if not any(wanted in text for text in texts):
        yield Issue(
            section.line,
            "the section does not say that no single root cause is named",
            f"keep the sentence '{NO_ROOT_CAUSE}' above the list of factors.",
        )


def factor_has_action(pm: Postmortem) -> Iterator[Issue]:
    """Every factor is addressed by at least one action item."""
    if not pm.action_items:
        return  # a missing action table is action-table's finding, not one per factor
    cited = {item.factor for item in pm.action_items}
    for factor in pm.factors:
        if factor.id and factor.id not in cited:
            yield Issue(
                factor.line,
                f"factor {factor.id} has no action item",
                f"add an action item whose Factor is {factor.id}.",
            )
