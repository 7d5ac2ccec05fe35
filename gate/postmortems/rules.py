"""The lint's rules: a stable id, a severity, whether a Draft skips it, and the check behind it."""

from __future__ import annotations

from dataclasses import dataclass

from gate.postmortems.checks import Check, Severity, actions, factors, language, structure, timeline
from gate.postmortems.model import Postmortem


@dataclass(frozen=True)
class Rule:
    """One lint rule. `draft_skip` rules are completeness rules a Draft may not meet yet.

    A rule with a `column` reads that column of the action items table: it
    applies where the postmortem's template asks for the column, or the file
    has it anyway.
    """

    id: str
    severity: Severity
    summary: str
    check: Check
    draft_skip: bool = False
    column: str | None = None

    def applies(self, pm: Postmortem) -> bool:
        """Whether the information this rule judges exists in the postmortem's template."""
        form = pm.template
        if self.id in form.not_applicable:
            return False
        wanted = (*form.columns, *form.warn_missing)
        return self.column is None or self.column in wanted or pm.has_action_column(self.column)


def _rule(
    rule_id: str, check: Check, *, draft_skip: bool = False, column: str | None = None
) -> Rule:
    # The one-line summary is the check's docstring, so the two cannot drift apart.
    summary = (check.__doc__ or "").strip().splitlines()[0]
    return Rule(rule_id, "error", summary, check, draft_skip, column)


#: Every rule, in the order findings on the same line are reported.
RULES: tuple[Rule, ...] = (
    _rule("title-id", structure.title_id),
    _rule("header-fields", structure.header_fields),
    _rule("header-values", structure.header_values),
    _rule("required-sections", structure.required_sections),
    _rule("empty-section", structure.empty_section, draft_skip=True),
    _rule("summary-length", structure.summary_length, draft_skip=True),
    _rule("timeline-table", timeline.timeline_table),
    _rule("timeline-utc", timeline.timeline_utc),
    _rule("timeline-order", timeline.timeline_order),
    _rule("timeline-source", timeline.timeline_source),
    _rule("timeline-markers", timeline.timeline_markers, draft_skip=True),
    _rule("timeline-durations", timeline.timeline_durations, draft_skip=True),
    _rule("incident-window", timeline.incident_window, draft_skip=True),
    _rule("factor-count", factors.factor_count),
    _rule("factor-id", factors.factor_id),
    _rule("factor-type", factors.factor_type),
    _rule("factor-counterfactual", factors.factor_counterfactual),
    _rule("no-root-cause", factors.no_root_cause),
    _rule("factor-has-action", factors.factor_has_action, draft_skip=True, column="Factor"),
    _rule("action-table", actions.action_table),
    _rule("action-id", actions.action_id, column="ID"),
    _rule("action-id-unique", actions.action_id_unique, column="ID"),
    _rule("action-owner", actions.action_owner),
    _rule("action-due", actions.action_due),
    _rule("action-priority", actions.action_priority, column="Priority"),
    _rule("action-factor", actions.action_factor, column="Factor"),
    _rule("action-done-when", actions.action_done_when, draft_skip=True, column="Done when"),
    _rule("action-enforced", actions.action_enforced, column="Enforced"),
    _rule("action-per-factor", actions.action_per_factor, column="Factor"),
    _rule("review-record", structure.review_record, draft_skip=True),
    Rule(
        "blame-language",
        "warning",
        "No line of prose blames a person.",
        language.blame_language,
    ),
)


#: Rules a postmortem with `Status: Draft` skips, in rule order.
DRAFT_SKIPPED: tuple[str, ...] = tuple(rule.id for rule in RULES if rule.draft_skip)
