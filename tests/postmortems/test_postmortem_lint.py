"""The lint: worked postmortems are clean, and each broken fixture breaks exactly one rule once.

Each file in broken/ is a copy of the Carta postmortem with one edit, named
after the rule it breaks (the title id follows the file name, as title-id
requires).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from gate.postmortems import (
    DRAFT_SKIPPED,
    RULES,
    Finding,
    lint,
    lint_folder,
    parse_postmortem,
    skipped_rules,
)

REPO = Path(__file__).resolve().parents[2]
POSTMORTEMS = REPO / "postmortems"
BROKEN = REPO / "tests/postmortems/broken"
DRAFT = REPO / "tests/postmortems/draft/INC-2026-06-10-carta-payments-draft.md"
TUTOR = POSTMORTEMS / "INC-2026-08-14-tutor-spanish-gloss-missing.md"
CARTA = POSTMORTEMS / "INC-2026-06-10-carta-checkout-payments-drill.md"
# Findings print paths relative to the repository root, where conftest.py runs every test.
B = "tests/postmortems/broken/INC-2026-06-10-"

EXPECTED: dict[str, list[str]] = {
    "title-id": [
        "tests/postmortems/broken/INC-2026-06-11-title-id.md:1: error [title-id] title id date "
        "2026-06-11 is not the date of Started (UTC) 2026-06-10. Fix: use the UTC date on which "
        "the impact started in both places."
    ],
    "header-fields": [
        f"{B}header-fields.md:1: error [header-fields] header field 'Authors' is missing. "
        "Fix: add '- Authors: <value>' to the list under the title."
    ],
    "header-values": [
        f"{B}header-values.md:4: error [header-values] Severity 'high' is not SEV0 to SEV4. "
        "Fix: write SEV0 (worst) to SEV4."
    ],
    "required-sections": [
        f"{B}required-sections.md:51: error [required-sections] section '## What went well' is "
        "missing. Fix: add it before '## Action items'; postmortems/TEMPLATE.md shows what goes "
        "in it."
    ],
    "empty-section": [
        f"{B}empty-section.md:51: error [empty-section] section '## What went well' is empty. "
        "Fix: answer it, or keep Status: Draft until it can be answered."
    ],
    "summary-length": [
        f"{B}summary-length.md:11: error [summary-length] the summary has 28 words, outside 50 "
        "to 150. Fix: say what broke, who was affected, when it started and ended, how it was "
        "mitigated."
    ],
    "timeline-table": [
        f"{B}timeline-table.md:15: error [timeline-table] the timeline columns are "
        "'Time | Event | Evidence', not 'Time | Event | Source'. Fix: use exactly the columns "
        "Time | Event | Source."
    ],
    "timeline-utc": [
        f"{B}timeline-utc.md:25: error [timeline-utc] time '16:26 CEST' is not UTC written HH:MM "
        "or YYYY-MM-DDTHH:MMZ. Fix: convert it to UTC; write HH:MM, or the full timestamp on the "
        "first row after midnight."
    ],
    "timeline-order": [
        f"{B}timeline-order.md:26: error [timeline-order] time 14:33 comes before 14:36 on line "
        "25. Fix: put the rows in time order; after midnight, write the full YYYY-MM-DDTHH:MMZ."
    ],
    "timeline-source": [
        f"{B}timeline-source.md:27: error [timeline-source] the row at 14:40 has no source. "
        "Fix: name its evidence: a log line, alert, deploy, commit, dashboard panel or ticket."
    ],
    "timeline-markers": [
        f"{B}timeline-markers.md:15: error [timeline-markers] no timeline row is tagged "
        "'(detected)'. Fix: add '(detected)' to the Event of the row where that happened."
    ],
    "timeline-durations": [
        f"{B}timeline-durations.md:33: error [timeline-durations] Detection time is 12 min but "
        "the timeline gives 13 min, from the '(impact start)' row at 14:02 to the '(detected)' "
        "row at 14:15. Fix: write 'Detection time: 13 min', or correct the tagged rows."
    ],
    "incident-window": [
        f"{B}incident-window.md:6: error [incident-window] Started (UTC) is 2026-06-10T14:00Z "
        "but the '(impact start)' row is at 2026-06-10T14:02Z. Fix: make Started the moment "
        "impact began, and tag that row."
    ],
    "factor-count": [
        f"{B}factor-count.md:38: error [factor-count] 2 contributing factors are listed, not 3 "
        "to 5. Fix: list the specific factors that combined; merge overlapping ones, add missing "
        "ones."
    ],
    "factor-id": [
        f"{B}factor-id.md:48: error [factor-id] factor id 'FX' is not F<n>. Fix: start the item "
        "with its id: F1, F2, ..."
    ],
    "factor-type": [
        f"{B}factor-type.md:46: error [factor-type] factor F3 has type 'people', not technical, "
        "process or detection. Fix: write [technical], [process] or [detection] after the id."
    ],
    "factor-counterfactual": [
        f"{B}factor-counterfactual.md:44: error [factor-counterfactual] factor F2 has no "
        "counterfactual. Fix: add a line 'Counterfactual: had <X> been <Y>, the incident would "
        "have <Z>.'"
    ],
    "no-root-cause": [
        f"{B}no-root-cause.md:38: error [no-root-cause] the section does not say that no single "
        "root cause is named. Fix: keep the sentence 'This postmortem names no single root cause.' "
        "above the list of factors."
    ],
    "factor-has-action": [
        f"{B}factor-has-action.md:48: error [factor-has-action] factor F4 has no action item. "
        "Fix: add an action item whose Factor is F4."
    ],
    "action-table": [
        f"{B}action-table.md:63: error [action-table] AI-2 has no action. Fix: say in one line "
        "what will change."
    ],
    "action-id": [
        f"{B}action-id.md:65: error [action-id] action item id 'AI4' is not AI-<n>. Fix: number "
        "the rows AI-1, AI-2, ..."
    ],
    "action-id-unique": [
        f"{B}action-id-unique.md:65: error [action-id-unique] action item id AI-3 is already "
        "used on line 64. Fix: give each row its own id; gate checks refer to items by it."
    ],
    "action-owner": [
        f"{B}action-owner.md:63: error [action-owner] AI-2 owner 'Payments team' is a group, "
        "not a person. Fix: name the one person who will see it through."
    ],
    "action-due": [
        f"{B}action-due.md:65: error [action-due] AI-4 due '2026-06-31' is not a real date. "
        "Fix: write the calendar date it is due as YYYY-MM-DD, like 2026-06-24."
    ],
    "action-priority": [
        f"{B}action-priority.md:65: error [action-priority] AI-4 priority 'High' is not P0 to "
        "P3. Fix: write P0 (most urgent) to P3."
    ],
    "action-factor": [
        f"{B}action-factor.md:66: error [action-factor] AI-5 cites factor 'F9', which is not a "
        "listed contributing factor. Fix: write the F<n> id of the factor the action addresses."
    ],
    "action-done-when": [
        f"{B}action-done-when.md:65: error [action-done-when] AI-4 'Done when' says 'faster' "
        "with no measurable threshold. Fix: state a yes/no test with a number or a comparison, "
        "like 'alert fires at > 1% for 5 min'."
    ],
    "action-enforced": [
        f"{B}action-enforced.md:64: error [action-enforced] AI-3 Enforced 'yes' is not gate or "
        "manual. Fix: write gate when a gate check enforces it, manual for a process change."
    ],
    "action-per-factor": [
        f"{B}action-per-factor.md:66: error [action-per-factor] AI-5 is a second action item "
        "for F3, after AI-3. Fix: merge it into AI-3, or write its Factor as 'F3 (shared)' to "
        "keep both on purpose."
    ],
    "review-record": [
        f"{B}review-record.md:68: error [review-record] the review record has no 'Attendees' "
        "line. Fix: add '- Attendees: ...' once the review meeting has happened."
    ],
    "blame-language": [
        f"{B}blame-language.md:22: warning [blame-language] 'forgot to' blames a person. "
        "Fix: restate it against the system: what allowed it, and what would catch it next time."
    ],
}


def _fixture(rule_id: str) -> Path:
    (path,) = BROKEN.glob(f"INC-*-{rule_id}.md")
    return path


@pytest.mark.parametrize("path", [TUTOR, CARTA], ids=lambda p: p.stem)
def test_worked_postmortems_lint_clean(path: Path) -> None:
    assert lint(parse_postmortem(path)) == []


def test_the_postmortems_folder_lints_clean() -> None:
    assert lint_folder(Path("postmortems")) == []


def test_every_rule_has_exactly_one_broken_fixture() -> None:
    fixture_rules = sorted(p.stem.split("-", 4)[4] for p in BROKEN.glob("*.md"))
    assert fixture_rules == sorted(rule.id for rule in RULES)
    assert sorted(EXPECTED) == fixture_rules


@pytest.mark.parametrize("rule_id", list(EXPECTED))
def test_broken_fixture_gets_exactly_its_finding(rule_id: str) -> None:
    findings = lint(parse_postmortem(_fixture(rule_id)))
    assert [str(f) for f in findings] == EXPECTED[rule_id]
    assert {f.rule for f in findings} == {rule_id}


def test_blame_is_a_warning_and_everything_else_an_error() -> None:
    severities = {rule.id: rule.severity for rule in RULES}
    assert severities.pop("blame-language") == "warning"
    assert set(severities.values()) == {"error"}


def test_draft_skips_its_completeness_rules() -> None:
    draft = parse_postmortem(DRAFT)
    assert draft.status == "Draft"
    assert lint(draft) == []
    assert skipped_rules(draft) == DRAFT_SKIPPED
    assert DRAFT_SKIPPED == (
        "empty-section",
        "summary-length",
        "timeline-markers",
        "timeline-durations",
        "incident-window",
        "factor-has-action",
        "action-done-when",
        "review-record",
    )
    # The same text marked Final breaks every rule a Draft skipped, and nothing else.
    final = dataclasses.replace(draft, status="Final")
    assert skipped_rules(final) == ()
    assert {f.rule for f in lint(final)} == set(DRAFT_SKIPPED)


def test_draft_still_gets_the_other_rules(tmp_path: Path) -> None:
    text = DRAFT.read_text(encoding="utf-8").replace("| Priya |", "| TBD |")
    path = tmp_path / DRAFT.name
    path.write_text(text, encoding="utf-8")
    findings = lint(parse_postmortem(path))
    assert [(f.rule, f.line, f.message) for f in findings] == [
        ("action-owner", 40, "AI-1 owner 'TBD' is a placeholder")
    ]


def test_finding_prints_path_line_severity_rule_message_and_fix() -> None:
    finding = Finding(
        Path("postmortems/x.md"), 7, "action-due", "error", "AI-1 has no due date", "add one."
    )
    assert str(finding) == (
        "postmortems/x.md:7: error [action-due] AI-1 has no due date. Fix: add one."
    )


def test_rows_after_midnight_use_a_full_timestamp(tmp_path: Path) -> None:
    text = CARTA.read_text(encoding="utf-8")
    path = tmp_path / CARTA.name
    late = text.replace("| 14:55 |", "| 2026-06-11T00:05Z |").replace("| 15:00 |", "| 00:10 |")
    path.write_text(late, encoding="utf-8")
    assert lint(parse_postmortem(path)) == []
    path.write_text(text.replace("| 14:55 |", "| 00:05 |"), encoding="utf-8")
    assert [(f.rule, f.line) for f in lint(parse_postmortem(path))] == [("timeline-order", 31)]


def test_duration_lines_may_be_list_items(tmp_path: Path) -> None:
    text = CARTA.read_text(encoding="utf-8")
    path = tmp_path / CARTA.name
    listed = text.replace("Detection time:", "- Detection time:").replace(
        "Mitigation time:", "- Mitigation time:"
    )
    path.write_text(listed, encoding="utf-8")
    pm = parse_postmortem(path)
    assert (pm.detection_minutes, pm.detection_line) == (13, 34)
    assert (pm.mitigation_minutes, pm.mitigation_line) == (42, 35)
    assert lint(pm) == []


def test_a_repeated_section_is_reported(tmp_path: Path) -> None:
    text = CARTA.read_text(encoding="utf-8")
    path = tmp_path / CARTA.name
    path.write_text(text + "\n## Summary\n\nA second summary.\n", encoding="utf-8")
    findings = lint(parse_postmortem(path))
    assert [(f.rule, f.line, f.message) for f in findings] == [
        ("required-sections", 75, "section '## Summary' repeats the one on line 10")
    ]
