"""The lint on the four-section template: the tutor incident, in the exact form its source's
template gives it, is clean, and each rule that applies to the template is broken once, by one
edit of it, at its line and in the template's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.postmortems import RULES, lint, not_applicable, parse_postmortem, skipped_rules
from tests.postmortems.conftest import FOUR_SECTION, Edits, add_column, edited, findings_besides

# The clean file warns once, at its table: the template has no Enforced column.
UNWRITTEN = (
    "40: warning [action-enforced] the action items have no 'Enforced' column, so every item "
    "counts as one a gate check must enforce. Fix: add an 'Enforced' column: gate where a gate "
    "check enforces the item, manual for a process change."
)
ROW_ENDS = (
    "| Due | Done when |",
    "|---|---|---|---|",
    "set below 24 |",
    "a new baseline |",
    "for 5 min |",
    "lack the gloss |",
    "on every deploy |",
)
NOT_APPLICABLE = (
    "header-fields",
    "header-values",
    "timeline-markers",
    "timeline-durations",
    "incident-window",
    "factor-id",
    "factor-type",
    "factor-counterfactual",
    "no-root-cause",
    "factor-has-action",
    "action-id",
    "action-id-unique",
    "action-priority",
    "action-factor",
    "action-per-factor",
    "review-record",
)
SITUATION = (
    "For 47 minutes on 2026-08-14, from 09:31 to 10:18 UTC, about 30% of the answers from the "
    "§A13 grammar tutor came back as HTTP 200 with the spanish field left empty."
)
SIGNALS = "a log line, a commit, an alert, a deploy."

CASES: list[tuple[str, Edits, list[str]]] = [
    (
        "title-id",
        (("# INC-2026-08-14-tutor", "# INC-2026-14-08-tutor"),),
        [
            "1: error [title-id] title id 'INC-2026-14-08-tutor-spanish-gloss-missing' does not "
            "hold a real date. Fix: write the id as a capital prefix such as PM- or INC-, the UTC "
            "date of the incident, then a lowercase slug (a-z, 0-9, hyphens)."
        ],
    ),
    (
        "title-id",
        ((" — Blank Spanish gloss in ~30% of tutor answers for 47 minutes.", " —"),),
        [
            "1: error [title-id] the title line has no title after the id. Fix: add a one-line "
            "title after the id."
        ],
    ),
    (
        "required-sections",
        (("## 3. Contributing factors", "## 3. Causes"),),
        [
            "38: error [required-sections] section '## Contributing factors' is missing. Fix: add "
            "it before '## 4. Action items'; `gate postmortem new --template four-section` shows "
            "what goes in it."
        ],
    ),
    (
        "empty-section",
        (
            (SITUATION, f"<!-- {SITUATION}"),
            ("ended the incident.", "ended the incident. -->"),
        ),
        [
            "3: error [empty-section] section '## Situation' is empty. Fix: fill it in; what "
            "cannot be answered yet, say so in a sentence."
        ],
    ),
    (
        "summary-length",
        ((" Where the portal quiz", "\n\nWhere the portal quiz"),),
        [
            "5: error [summary-length] the situation has 2 blocks, not one paragraph. Fix: merge "
            "them into a single paragraph of 50 to 150 words."
        ],
    ),
    (
        "summary-length",
        (
            (" Where the portal quiz", "\n\n<!-- Where the portal quiz"),
            ("ended the incident.\n", "ended the incident. -->\n"),
        ),
        [
            "5: error [summary-length] the situation has 31 words, outside 50 to 150. Fix: say "
            "what happened, what users saw, and when it started and ended (UTC)."
        ],
    ),
    (
        "timeline-table",
        (
            ("```text\n09:28", "The timeline is in the incident channel.\n\n<!--\n09:28"),
            ("the disruption cost it.\n```", "the disruption cost it.\n-->"),
        ),
        [
            "7: error [timeline-table] the timeline has no 'HH:MM event' lines. Fix: list the "
            "events in time order, one a line, each starting with its UTC time."
        ],
    ),
    (
        "timeline-utc",
        (("09:31 Portal request log", "9:31 Portal request log"),),
        [
            "13: error [timeline-utc] time '9:31' is not UTC written HH:MM or YYYY-MM-DDTHH:MMZ. "
            "Fix: convert it to UTC; write HH:MM, or the full timestamp on the first row after "
            "midnight."
        ],
    ),
    (
        "timeline-order",
        (("10:05 Incident channel", "09:05 Incident channel"),),
        [
            "23: error [timeline-order] time 09:05 comes before 09:51 on line 19. Fix: put the "
            "rows in time order; after midnight, write the full YYYY-MM-DDTHH:MMZ."
        ],
    ),
    (
        "timeline-source",
        (("09:47 Ticket history: Borja opens it.", "09:47 We then noticed the ticket."),),
        [
            "18: error [timeline-source] the entry at 09:47 tells a story ('We then noticed'), "
            f"not a signal. Fix: name the signal itself: {SIGNALS}"
        ],
    ),
    (
        "timeline-source",
        (
            (
                "10:12 Rollback output: `just rollback` done. Smoke test report: green.",
                "10:12",
            ),
        ),
        [
            "25: error [timeline-source] the entry at 10:12 has no event after the time. Fix: "
            f"say what the signal showed: {SIGNALS}"
        ],
    ),
    (
        "factor-count",
        (
            ("- **Alerts only on 5xx.**", "<!--\n- **Alerts only on 5xx.**"),
            ("could not show up there.\n", "could not show up there.\n-->\n"),
        ),
        [
            "30: error [factor-count] 2 contributing factors are listed, not 3 to 5. Fix: list the "
            "specific factors that combined; merge overlapping ones, add missing ones."
        ],
    ),
    (
        "action-table",
        (("| Add 50 long-tail prompts taken from portal logs to the regression set |", "|  |"),),
        ["43: error [action-table] AI-2 has no action. Fix: say in one line what will change."],
    ),
    (
        "action-table",
        add_column(ROW_ENDS, ("Notes", "---", "", "", "", "", "")),
        [
            "40: error [action-table] the action item columns are 'Action | Owner | Due | Done "
            "when | Notes', not 'Action | Owner | Due | Done when'. Fix: use the columns Action | "
            "Owner | Due | Done when; ID, Priority, Factor, Enforced may be added."
        ],
    ),
    (
        "action-owner",
        (("| Borja | 2026-08-21 | The counter", "| Borja and Inés | 2026-08-21 | The counter"),),
        [
            "44: error [action-owner] AI-3 owner 'Borja and Inés' names more than one person. "
            "Fix: name the one person who will see it through."
        ],
    ),
    (
        "action-due",
        (("| 2026-08-23 |", "| next quarter |"),),
        [
            "46: error [action-due] AI-5 due 'next quarter' is not a real date. Fix: write the "
            "calendar date it is due as YYYY-MM-DD, like 2026-06-24."
        ],
    ),
    (
        "action-done-when",
        (
            (
                "The smoke test sends 5 prompts drawn from portal traffic on every deploy",
                "Smoke coverage is improved",
            ),
        ),
        [
            "46: error [action-done-when] AI-5 'Done when' says 'improved' with no measurable "
            "threshold. Fix: state a yes/no test with a number or a comparison, like 'alert fires "
            "at > 1% for 5 min'."
        ],
    ),
    (
        "action-enforced",
        add_column(ROW_ENDS, ("Enforced", "---", "gate", "gate", "gate", "gate", "yes")),
        [
            "46: error [action-enforced] AI-5 Enforced 'yes' is not gate or manual. Fix: write "
            "gate when a gate check enforces it, manual for a process change."
        ],
    ),
    (
        "blame-language",
        (
            (
                "10:12 Rollback output:",
                "10:12 Borja forgot to announce it; rollback output:",
            ),
        ),
        [
            "25: warning [blame-language] 'forgot to' blames a person. Fix: restate it against the "
            "system: what allowed it, and what would catch it next time."
        ],
    ),
]


def test_the_incident_in_its_source_form_lints_clean_but_for_one_warning() -> None:
    pm = parse_postmortem(FOUR_SECTION)
    assert pm.template.name == "four-section"
    assert [str(f).split(".md:", 1)[1] for f in lint(pm)] == [UNWRITTEN]
    assert not_applicable(pm) == NOT_APPLICABLE
    assert skipped_rules(pm) == ()  # the template has no Status, so it is never a Draft


def test_every_rule_that_applies_is_broken_by_a_case() -> None:
    applies = {rule.id for rule in RULES} - set(NOT_APPLICABLE)
    assert {rule for rule, _, _ in CASES} == applies


@pytest.mark.parametrize(
    ("rule", "edits", "expected"),
    CASES,
    ids=[f"{rule}-{n}" for n, (rule, _, _) in enumerate(CASES)],
)
def test_each_broken_case_is_caught_at_its_line(
    tmp_path: Path, rule: str, edits: Edits, expected: list[str]
) -> None:
    assert findings_besides(edited(FOUR_SECTION, edits, tmp_path), [UNWRITTEN]) == expected
