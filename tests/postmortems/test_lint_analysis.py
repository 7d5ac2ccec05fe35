"""The lint on the analysis template: a postmortem filled in strictly on it is clean, and each
rule that applies to it is broken once, by one edit of that postmortem, at its line and in the
template's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.postmortems import RULES, lint, not_applicable, parse_postmortem, skipped_rules
from tests.postmortems.conftest import ANALYSIS, Edits, add_column, edited, findings_besides

# The clean file warns twice, at its table: the template has no Done when or Enforced column.
UNWRITTEN = [
    "45: warning [action-done-when] the action items have no 'Done when' column, so no item says "
    "what done means. Fix: add a 'Done when' column with a yes/no test for each item; until then "
    "`gate trace` shows 'done when: not written'.",
    "45: warning [action-enforced] the action items have no 'Enforced' column, so every item "
    "counts as one a gate check must enforce. Fix: add an 'Enforced' column: gate where a gate "
    "check enforces the item, manual for a process change.",
]
ROW_ENDS = (
    "| Priority | Factor |",
    "|----------|--------|",
    "| P1 | 1 |",
    "| P2 | 2 |",
    "| P1 | 3 |",
    "| P1 | 4 |",
    "| P2 | 5 |",
)
DONE = (
    "A manifest below 24 fails CI",
    "The regression set holds 50 portal prompts",
    "An alert fires at > 1% for 5 min",
    "A release with > 2% empty glosses is blocked",
)
ANALYSIS_FIX = "`gate postmortem new --template analysis` shows what goes in it"
ID_FIX = (
    "write the id as a capital prefix such as PM- or INC-, the UTC date of the incident, then a "
    "lowercase slug (a-z, 0-9, hyphens)."
)


def _sixth_item(factor: str) -> tuple[str, str]:
    """An edit that adds AI-6, citing `factor`, below AI-5."""
    row = f"| AI-6 | Page when a bake sends no portal prompt | Borja | 2026-08-30 | P3 | {factor} |"
    return ("| P2 | 5 |", f"| P2 | 5 |\n{row}")


CASES: list[tuple[str, Edits, list[str]]] = [
    (
        "title-id",
        (("ID: PM-2026-08-14", "ID: PM-2026-08-41"),),
        [
            "2: error [title-id] ID 'PM-2026-08-41-tutor-spanish-gloss-missing' does not hold a "
            f"real date. Fix: {ID_FIX}"
        ],
    ),
    (
        "header-fields",
        (("Authors: Borja\n", ""),),
        [
            "1: error [header-fields] header field 'Authors' is missing. Fix: add 'Authors: "
            "<value>' to the lines under the title."
        ],
    ),
    (
        "header-values",
        (("Severity: SEV3", "Severity: high"),),
        [
            "4: error [header-values] Severity 'high' is not SEV0 to SEV4. Fix: write SEV0 (worst) "
            "to SEV4."
        ],
    ),
    (
        "required-sections",
        (("## What went well\n", "## Went well\n"),),
        [
            "44: error [required-sections] section '## What went well' is missing. Fix: add it "
            f"before '## Action items'; {ANALYSIS_FIX}."
        ],
    ),
    (
        "empty-section",
        (
            ("- The last 5 release images are kept, so v2.3.4 was still there to roll", "<!--"),
            ("the content of the answers.\n", "-->\n"),
        ),
        [
            "40: error [empty-section] section '## What went well' is empty. Fix: answer it, or "
            "keep Status: Draft until it can be answered."
        ],
    ),
    (
        "summary-length",
        ((" A class of 28", "\n\nA class of 28"),),
        [
            "8: error [summary-length] the summary has 2 blocks, not one paragraph. Fix: merge "
            "them into a single paragraph."
        ],
    ),
    (
        "timeline-table",
        (("| Time | Event | Source |", "| Time | Event | Evidence |"),),
        [
            "11: error [timeline-table] the timeline columns are 'Time | Event | Evidence', not "
            "'Time | Event | Source'. Fix: use exactly the columns Time | Event | Source."
        ],
    ),
    (
        "timeline-utc",
        (("| 09:31 |", "| 11:31 CEST |"),),
        [
            "14: error [timeline-utc] time '11:31 CEST' is not UTC written HH:MM or "
            "YYYY-MM-DDTHH:MMZ. Fix: convert it to UTC; write HH:MM, or the full timestamp on the "
            "first row after midnight."
        ],
    ),
    (
        "timeline-order",
        (("| 10:05 |", "| 09:05 |"),),
        [
            "19: error [timeline-order] time 09:05 comes before 09:51 on line 18. Fix: put the "
            "rows in time order; after midnight, write the full YYYY-MM-DDTHH:MMZ."
        ],
    ),
    (
        "timeline-source",
        (("| support ticket |", "|  |"),),
        [
            "16: error [timeline-source] the row at 09:42 has no source. Fix: name its evidence: a "
            "log line, alert, deploy, commit, dashboard panel or ticket."
        ],
    ),
    (
        "timeline-durations",
        (("Detection time: 16 min", "Detection time: 16 minutes"),),
        [
            "23: error [timeline-durations] Detection time '16 minutes' is not a whole number of "
            "minutes. Fix: write it like 'Detection time: 16 min'."
        ],
    ),
    (
        "timeline-durations",
        (("Mitigation time: 41 min\n", ""),),
        [
            "11: error [timeline-durations] the 'Mitigation time: N min' line is missing. Fix: add "
            "it under the timeline table: the minutes from the start of impact to its mitigation."
        ],
    ),
    (
        "factor-count",
        (
            (
                "before the class began.\n",
                "before the class began.\n6. [process] A sixth factor.\n"
                "   counterfactual: if it had not been, nothing would have changed.\n",
            ),
            _sixth_item("6"),
        ),
        [
            "26: error [factor-count] 6 contributing factors are listed, not 3 to 5. Fix: list the "
            "specific factors that combined; merge overlapping ones, add missing ones."
        ],
    ),
    (
        "factor-type",
        (("2. [process]", "2. [people]"),),
        [
            "31: error [factor-type] factor 2 has type 'people', not technical, process or "
            "detection. Fix: start the factor with [technical], [process] or [detection]."
        ],
    ),
    (
        "factor-counterfactual",
        (("   counterfactual: if the gate had blocked", "   If the gate had blocked"),),
        [
            "35: error [factor-counterfactual] factor 4 has no counterfactual. Fix: add a line "
            "'counterfactual: if <X> had <Y>, the incident would have <Z>.'"
        ],
    ),
    (
        "no-root-cause",
        (("We do not name a single root cause.\n", ""),),
        [
            "26: error [no-root-cause] the section does not say that no single root cause is "
            "named. Fix: keep the sentence 'We do not name a single root cause.' above the list "
            "of factors."
        ],
    ),
    (
        "factor-has-action",
        (("| P2 | 5 |", "| P2 | 4 (shared) |"),),
        [
            "37: error [factor-has-action] factor 5 has no action item. Fix: add an action item "
            "whose Factor is 5."
        ],
    ),
    (
        "action-table",
        (("| Grow the regression set by 50 long-tail prompts from the portal |", "|  |"),),
        ["48: error [action-table] AI-2 has no action. Fix: say in one line what will change."],
    ),
    (
        "action-table",
        add_column(ROW_ENDS, ("Ticket", "---", "T-1", "T-2", "T-3", "T-4", "T-5")),
        [
            "45: error [action-table] the action item columns are 'ID | Action | Owner | Due | "
            "Priority | Factor | Ticket', not 'ID | Action | Owner | Due | Priority | Factor'. "
            "Fix: use the columns ID | Action | Owner | Due | Priority | Factor; Done when, "
            "Enforced may be added."
        ],
    ),
    (
        "action-id",
        (("| AI-4 |", "| AI4 |"),),
        [
            "50: error [action-id] action item id 'AI4' is not AI-<n>. Fix: number the rows AI-1, "
            "AI-2, ..."
        ],
    ),
    (
        "action-id-unique",
        (("| AI-4 |", "| AI-3 |"),),
        [
            "50: error [action-id-unique] action item id AI-3 is already used on line 49. Fix: "
            "give each row its own id; gate checks refer to items by it."
        ],
    ),
    (
        "action-owner",
        (("| Borja | 2026-08-25 |", "| Tutor team | 2026-08-25 |"),),
        [
            "48: error [action-owner] AI-2 owner 'Tutor team' is a group, not a person. Fix: name "
            "the one person who will see it through."
        ],
    ),
    (
        "action-due",
        (("| 2026-08-22 |", "| 2026-08-32 |"),),
        [
            "50: error [action-due] AI-4 due '2026-08-32' is not a real date. Fix: write the "
            "calendar date it is due as YYYY-MM-DD, like 2026-06-24."
        ],
    ),
    (
        "action-priority",
        (("| P1 | 4 |", "| High | 4 |"),),
        [
            "50: error [action-priority] AI-4 priority 'High' is not P0 to P3. Fix: write P0 (most "
            "urgent) to P3."
        ],
    ),
    (
        "action-factor",
        (_sixth_item("9"),),
        [
            "52: error [action-factor] AI-6 cites factor '9', which is not a listed contributing "
            "factor. Fix: write the number of the factor under '## Analysis' that the action "
            "addresses."
        ],
    ),
    (
        "action-done-when",
        add_column(ROW_ENDS, ("Done when", "---", *DONE, "Alerting is better")),
        [
            "51: error [action-done-when] AI-5 'Done when' says 'better' with no measurable "
            "threshold. Fix: state a yes/no test with a number or a comparison, like 'alert fires "
            "at > 1% for 5 min'."
        ],
    ),
    (
        "action-enforced",
        add_column(ROW_ENDS, ("Enforced", "---", "gate", "gate", "gate", "gate", "yes")),
        [
            "51: error [action-enforced] AI-5 Enforced 'yes' is not gate or manual. Fix: write "
            "gate when a gate check enforces it, manual for a process change."
        ],
    ),
    (
        "action-per-factor",
        (_sixth_item("5"),),
        [
            "52: error [action-per-factor] AI-6 is a second action item for factor 5, after AI-5. "
            "Fix: merge it into AI-5, or write its Factor as '5 (shared)' to keep both on purpose."
        ],
    ),
    (
        # `F5` cites the same factor as `5`.
        "action-per-factor",
        (_sixth_item("F5"),),
        [
            "52: error [action-per-factor] AI-6 is a second action item for factor F5, after "
            "AI-5. Fix: merge it into AI-5, or write its Factor as 'F5 (shared)' to keep both on "
            "purpose."
        ],
    ),
    (
        "review-record",
        (("Attendees: Borja, Inés, Marc\n", ""),),
        [
            "53: error [review-record] the review record has no 'Attendees' line. Fix: add "
            "'Attendees: ...' once the review meeting has happened."
        ],
    ),
    (
        "review-record",
        (("Status: Final", "Status: Done"),),
        [
            "57: error [review-record] review record Status 'Done' is not Draft or Final. Fix: "
            "write Final once the review has accepted the postmortem, Draft until then."
        ],
    ),
    (
        "blame-language",
        (("| The ticket is read;", "| Borja forgot to watch the queue, then the ticket is read;"),),
        [
            "17: warning [blame-language] 'forgot to' blames a person. Fix: restate it against the "
            "system: what allowed it, and what would catch it next time."
        ],
    ),
]


def test_a_postmortem_filled_in_on_the_template_lints_clean_but_for_two_warnings() -> None:
    pm = parse_postmortem(ANALYSIS)
    assert pm.template.name == "analysis"
    assert [str(f).split(".md:", 1)[1] for f in lint(pm)] == UNWRITTEN
    assert not_applicable(pm) == ("timeline-markers", "incident-window", "factor-id")


def test_every_rule_that_applies_is_broken_by_a_case() -> None:
    applies = {rule.id for rule in RULES} - set(not_applicable(parse_postmortem(ANALYSIS)))
    assert {rule for rule, _, _ in CASES} == applies


@pytest.mark.parametrize(
    ("rule", "edits", "expected"),
    CASES,
    ids=[f"{rule}-{n}" for n, (rule, _, _) in enumerate(CASES)],
)
def test_each_broken_case_is_caught_at_its_line(
    tmp_path: Path, rule: str, edits: Edits, expected: list[str]
) -> None:
    assert findings_besides(edited(ANALYSIS, edits, tmp_path), UNWRITTEN) == expected


def test_contributing_factors_may_stand_where_the_template_says_analysis(tmp_path: Path) -> None:
    path = edited(ANALYSIS, (("## Analysis", "## Contributing factors"),), tmp_path)
    pm = parse_postmortem(path)
    assert pm.template.name == "analysis"
    assert [f.name for f in pm.factors] == ["1", "2", "3", "4", "5"]
    assert findings_besides(path, UNWRITTEN) == []


def test_the_review_record_moves_the_postmortem_to_final_once_it_has_a_date(
    tmp_path: Path,
) -> None:
    assert parse_postmortem(ANALYSIS).status == "Final"
    draft = parse_postmortem(edited(ANALYSIS, (("Date: 2026-08-17", "Date:"),), tmp_path))
    assert draft.status == "Draft"
    assert skipped_rules(draft) == (
        "empty-section",
        "summary-length",
        "timeline-durations",
        "factor-has-action",
        "action-done-when",
        "review-record",
    )
    # A Draft skips the Done when rule, and with it the warning about its column.
    assert [f.rule for f in lint(draft)] == ["action-enforced"]


def test_either_templates_sentence_keeps_the_frame_of_no_single_root_cause(
    tmp_path: Path,
) -> None:
    edits = (
        ("We do not name a single root cause.", "This postmortem names no single root cause."),
    )
    assert findings_besides(edited(ANALYSIS, edits, tmp_path), UNWRITTEN) == []
