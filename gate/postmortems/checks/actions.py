"""Checks on the action items table: one row per commitment, each owned, dated and testable."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gate.postmortems.checks import Issue, is_placeholder
from gate.postmortems.model import ACTIONS, FACTORS, Postmortem
from gate.postmortems.times import iso_date

ENFORCEMENTS = ("gate", "manual")
_ID = re.compile(r"AI-[1-9]\d*")
_PRIORITY = re.compile(r"P[0-3]")
_WORDS = re.compile(r"[\w'.-]+")
_SEVERAL = re.compile(r"[,/&+;]|\band\b", re.IGNORECASE)
# A name is words of letters, each may carry an apostrophe, hyphen or dot (O'Neil, Jean-Luc, J.).
_NAME = re.compile(r"[^\W\d_][^\W\d_'.-]*(?:['.-][^\W\d_]*)*")
# fmt: off
#: Words that name a group or a role rather than a person.
GROUP_WORDS = frozenset((
    "team", "squad", "oncall", "on-call", "eng", "engineering", "sre", "ops", "devops",
    "platform", "everyone", "all", "we", "us", "group", "guild", "crew", "staff", "rota",
    "owners", "someone", "qa", "infra",
))
#: Words that make a done-when criterion vague unless a threshold comes with them.
VAGUE_WORDS = frozenset((
    "improve", "improved", "improves", "improving", "improvement", "better", "more", "less",
    "fewer", "faster", "ongoing", "continuous", "robust", "properly", "appropriate",
    "appropriately", "sufficient", "sufficiently", "adequate", "enough", "etc", "asap", "soon",
    "eventually", "regularly", "periodically", "optimise", "optimize", "reduce", "reduced",
    "increase", "increased",
))
# fmt: on
VAGUE_PHRASES = ("as needed", "as appropriate", "where possible", "if possible", "and so on")
# A number or a comparison is what turns a vague word into a threshold.
_MEASURABLE = re.compile(r"\d|[<>=%≤≥]")


def _label(item_id: str) -> str:
    return item_id or "an action item"


def _columns_fit(pm: Postmortem) -> bool:
    """The template's columns in its order, each once, and nothing but its optional ones besides."""
    form = pm.template
    found = [c.casefold() for c in pm.action_columns]
    required = [c.casefold() for c in form.columns]
    known = {*required, *(c.casefold() for c in form.optional)}
    in_order = [c for c in found if c in required] == required
    return in_order and len(set(found)) == len(found) and set(found) <= known


def action_table(pm: Postmortem) -> Iterator[Issue]:
    """The action items are a table with the template's columns, and every row has an action."""
    form = pm.template
    section = pm.section(ACTIONS)
    if section is None:
        return
    wanted = " | ".join(form.columns)
    if not pm.action_line:
        yield Issue(
            section.line, "the action items have no table", f"add a table with columns {wanted}."
        )
    elif not _columns_fit(pm):
        extra = f"; {', '.join(form.optional)} may be added" if form.optional else ""
        yield Issue(
            pm.action_line,
            f"the action item columns are '{' | '.join(pm.action_columns)}', not '{wanted}'",
            f"use {'the' if extra else 'exactly the'} columns {wanted}{extra}.",
        )
    elif not pm.action_items:
        yield Issue(pm.action_line, "the action items table has no rows", "add one row per action.")
    for item in pm.action_items:
        if is_placeholder(item.action):
            yield Issue(
                item.line, f"{_label(item.id)} has no action", "say in one line what will change."
            )


def action_id(pm: Postmortem) -> Iterator[Issue]:
    """Each action item id is AI-<n>."""
    for item in pm.action_items:
        if not _ID.fullmatch(item.id):
            yield Issue(
                item.line,
                f"action item id '{item.id}' is not AI-<n>",
                "number the rows AI-1, AI-2, ...",
            )


def action_id_unique(pm: Postmortem) -> Iterator[Issue]:
    """No two action items share an id."""
    seen: dict[str, int] = {}
    for item in pm.action_items:
        if item.id in seen:
            yield Issue(
                item.line,
                f"action item id {item.id} is already used on line {seen[item.id]}",
                "give each row its own id; gate checks refer to items by it.",
            )
        else:
            seen[item.id] = item.line


def owner_problem(owner: str) -> str | None:
    """Why an Owner cell does not name exactly one person, or None when it does."""
    if is_placeholder(owner):
        return "has no owner" if not owner.strip() else f"owner '{owner}' is a placeholder"
    if _SEVERAL.search(owner):
        return f"owner '{owner}' names more than one person"
    words = _WORDS.findall(owner)
    if any(word.casefold() in GROUP_WORDS for word in words):
        return f"owner '{owner}' is a group, not a person"
    if not all(_NAME.fullmatch(word) for word in owner.split()) or not owner[0].isupper():
        return f"owner '{owner}' is not a person's name"
    return None


def action_owner(pm: Postmortem) -> Iterator[Issue]:
    """Each action item has exactly one owner, who is a person."""
    for item in pm.action_items:
        problem = owner_problem(item.owner)
        if problem:
            yield Issue(
                item.line,
                f"{_label(item.id)} {problem}",
                "name the one person who will see it through.",
            )


def action_due(pm: Postmortem) -> Iterator[Issue]:
    """Each action item is due on a real date written YYYY-MM-DD."""
    for item in pm.action_items:
        if iso_date(item.due) is None:
            problem = "has no due date" if not item.due else f"due '{item.due}' is not a real date"
            yield Issue(
                item.line,
                f"{_label(item.id)} {problem}",
                "write the calendar date it is due as YYYY-MM-DD, like 2026-06-24.",
            )


def action_priority(pm: Postmortem) -> Iterator[Issue]:
    """Each action item has a priority P0 to P3."""
    for item in pm.action_items:
        if not _PRIORITY.fullmatch(item.priority):
            yield Issue(
                item.line,
                f"{_label(item.id)} priority '{item.priority}' is not P0 to P3",
                "write P0 (most urgent) to P3.",
            )


def action_factor(pm: Postmortem) -> Iterator[Issue]:
    """Each action item cites a factor listed in the postmortem."""
    for item in pm.action_items:
        if not item.factor:
            problem = "cites no factor"
        elif pm.factor(item.factor) is None:
            problem = f"cites factor '{item.factor}', which is not a listed contributing factor"
        else:
            continue
        yield Issue(item.line, f"{_label(item.id)} {problem}", _factor_fix(pm))


def _factor_fix(pm: Postmortem) -> str:
    form = pm.template
    if form.factor_ids:
        return "write the F<n> id of the factor the action addresses."
    heading = form.heading(FACTORS)
    return f"write the number of the factor under '## {heading}' that the action addresses."


def done_when_problem(done_when: str) -> str | None:
    """Why a Done when cell is not a binary criterion, or None when it is one."""
    if is_placeholder(done_when):
        return "has no 'Done when' criterion"
    text = done_when.casefold()
    vague = [w for w in _WORDS.findall(text) if w.strip(".") in VAGUE_WORDS]
    vague += [p for p in VAGUE_PHRASES if p in text]
    if vague and not _MEASURABLE.search(text):
        return f"'Done when' says '{vague[0].strip('.')}' with no measurable threshold"
    return None


def _unwritten(pm: Postmortem, column: str, meaning: str, fix: str) -> Issue | None:
    """A warning that the table lacks a column its template may leave out, or None."""
    if pm.has_action_column(column) or column not in pm.template.warn_missing:
        return None
    if not pm.action_line:
        return None  # no table at all is action-table's finding
    return Issue(
        pm.action_line,
        f"the action items have no '{column}' column, so {meaning}",
        fix,
        severity="warning",
    )


def action_done_when(pm: Postmortem) -> Iterator[Issue]:
    """Each action item says when it is done, as a yes/no test."""
    unwritten = _unwritten(
        pm,
        "Done when",
        "no item says what done means",
        "add a 'Done when' column with a yes/no test for each item; until then "
        "`gate trace` shows 'done when: not written'.",
    )
    if unwritten:
        yield unwritten
        return
    for item in pm.action_items:
        problem = done_when_problem(item.done_when)
        if problem:
            yield Issue(
                item.line,
                f"{_label(item.id)} {problem}",
                "state a yes/no test with a number or a comparison, "
                "like 'alert fires at > 1% for 5 min'.",
            )


def action_enforced(pm: Postmortem) -> Iterator[Issue]:
    """Each action item says whether the gate enforces it or it is a manual process change."""
    unwritten = _unwritten(
        pm,
        "Enforced",
        "every item counts as one a gate check must enforce",
        "add an 'Enforced' column: gate where a gate check enforces the item, manual for a "
        "process change.",
    )
    if unwritten:
        yield unwritten
        return
    for item in pm.action_items:
        if item.enforced_as not in ENFORCEMENTS:
            yield Issue(
                item.line,
                f"{_label(item.id)} Enforced '{item.enforced_as}' is not gate or manual",
                "write gate when a gate check enforces it, manual for a process change.",
            )


def action_per_factor(pm: Postmortem) -> Iterator[Issue]:
    """At most one action item per factor, unless the extra items are marked (shared)."""
    first: dict[str, str] = {}
    for item in pm.action_items:
        if not item.factor:
            continue
        # `2` and `F2` cite the same factor where factors are numbered rather than named.
        factor = pm.factor(item.factor)
        key = factor.id if factor else item.factor
        if key in first and not item.allow_shared_factor:
            yield Issue(
                item.line,
                f"{_label(item.id)} is a second action item for "
                f"{pm.template.cite(item.factor)}, after {first[key]}",
                f"merge it into {first[key]}, or write its Factor as "
                f"'{item.factor} (shared)' to keep both on purpose.",
            )
        first.setdefault(key, item.id)
