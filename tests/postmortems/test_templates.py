"""The three templates: each file is recognised as the one it follows and fills the same model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gate.cli.postmortem_cmd import TEMPLATE_NAMES
from gate.postmortems import TEMPLATES, PostmortemError, lint, parse_postmortem
from gate.postmortems.skeleton import skeleton
from gate.postmortems.templates import TEMPLATE_CHOICES, recognise, section_of
from tests.postmortems.conftest import ANALYSIS, FOUR_SECTION, REPO, edited

TUTOR = REPO / "postmortems/INC-2026-08-14-tutor-spanish-gloss-missing.md"


def test_the_names_agree_everywhere_they_are_written() -> None:
    schema = json.loads((REPO / "gate/schemas/gate.schema.json").read_text())
    template = schema["properties"]["postmortems"]["properties"]["template"]
    assert tuple(template["enum"]) == TEMPLATE_CHOICES == ("auto", *TEMPLATES)
    assert TEMPLATE_NAMES == tuple(TEMPLATES) == ("gate", "analysis", "four-section")


def test_the_project_template_is_the_skeleton_of_its_new_postmortems() -> None:
    assert skeleton(TEMPLATES["gate"]) == (REPO / "postmortems/TEMPLATE.md").read_text()


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_each_skeleton_is_recognised_as_its_template(tmp_path: Path, name: str) -> None:
    path = tmp_path / "skeleton.md"
    path.write_text(skeleton(TEMPLATES[name]), encoding="utf-8")
    assert parse_postmortem(path).template.name == name


@pytest.mark.parametrize(
    ("heading", "section"),
    [
        ("Summary", "Summary"),
        ("1. Situation", "Summary"),
        ("Situation (50-150 words)", "Summary"),
        ("2. Timeline (chronological, UTC)", "Timeline (UTC)"),
        ("Timeline (UTC)", "Timeline (UTC)"),
        ("Analysis", "Contributing factors"),
        ("3. Contributing factors (3-5 items)", "Contributing factors"),
        ("4. Action items (concrete, owned, dated)", "Action items"),
        ("what went well", "What went well"),
        ("Review record", "Review record"),
        ("Appendix", ""),
    ],
)
def test_headings_name_their_section_with_or_without_number_and_note(
    heading: str, section: str
) -> None:
    assert section_of(heading) == section


@pytest.mark.parametrize(
    ("title", "fields", "headings", "name"),
    [
        ("Postmortem: Checkout down", set(), ["Summary"], "analysis"),
        ("Checkout down", {"id", "status"}, ["Summary"], "analysis"),
        ("INC-2026-06-10-x: Checkout down", set(), ["Summary", "Analysis"], "analysis"),
        (
            "INC-2026-06-10-x — Checkout down",
            set(),
            ["1. Situation", "2. Timeline"],
            "four-section",
        ),
        ("INC-2026-06-10-x: Checkout down", set(), ["Situation"], "four-section"),
        ("INC-2026-06-10-x: Checkout down", set(), ["1. Summary"], "four-section"),
        ("INC-2026-06-10-x: Checkout down", {"status"}, ["Summary", "Review record"], "gate"),
        ("INC-2026-06-10-x — Checkout down", set(), ["Summary"], "gate"),
    ],
)
def test_a_file_is_recognised_by_its_title_header_and_headings(
    title: str, fields: set[str], headings: list[str], name: str
) -> None:
    assert recognise(title, fields, headings).name == name


def test_the_three_forms_of_the_incident_fill_the_same_model() -> None:
    forms = {pm.template.name: pm for pm in map(parse_postmortem, (TUTOR, ANALYSIS, FOUR_SECTION))}
    gate, analysis, four = forms["gate"], forms["analysis"], forms["four-section"]
    for pm in forms.values():
        assert [item.id for item in pm.action_items] == ["AI-1", "AI-2", "AI-3", "AI-4", "AI-5"]
        assert [item.owner for item in pm.action_items] == ["Borja"] * 5
        assert [item.due for item in pm.action_items] == [
            "2026-08-21",
            "2026-08-25",
            "2026-08-21",
            "2026-08-22",
            "2026-08-23",
        ]
        assert all(item.enforced for item in pm.action_items)
        assert [row.time for row in pm.timeline][::4] == ["09:28", "09:47", "10:18"]
        assert len(pm.factors) == 5
    assert (analysis.id, analysis.id_line, analysis.title_line) == (
        "PM-2026-08-14-tutor-spanish-gloss-missing",
        2,
        1,
    )
    assert analysis.title == "Grammar tutor answered without its Spanish gloss after v2.4.0"
    assert four.id == gate.id == "INC-2026-08-14-tutor-spanish-gloss-missing"
    assert four.title == "Blank Spanish gloss in ~30% of tutor answers for 47 minutes."
    # Factors carry their written id, or are numbered; the Factor column cites them either way.
    assert [(f.id, f.name) for f in gate.factors][:2] == [("F1", "F1"), ("F2", "F2")]
    assert [(f.id, f.name, f.type) for f in analysis.factors][:2] == [
        ("F1", "1", "technical"),
        ("F2", "2", "process"),
    ]
    assert analysis.factor("2") == analysis.factor("F2") == analysis.factors[1]
    assert gate.factor("2") is None
    first, unlinked = analysis.action_items[0], four.action_items[0]
    assert (first.priority, first.factor, first.done_when) == ("P1", "1", "")
    assert (unlinked.priority, unlinked.factor) == ("", "")
    assert four.action_items[0].done_when_text == (
        "A test under tests/phase38/ fails when max_decode_tokens is set below 24"
    )
    assert analysis.action_items[0].done_when_text == "not written"


def test_a_timeline_of_lines_keeps_each_entry_with_its_wrapped_lines() -> None:
    pm = parse_postmortem(FOUR_SECTION)
    assert pm.timeline_columns == ()
    first, _, _, _, _, unread = pm.timeline[:6]
    assert (first.time, first.line, first.source) == ("09:28", 10, "")
    assert first.event == (
        "Deploy log: v2.4.0 goes out (commit a91b...). CI run: green. Eval gate report: 0.94 "
        "against the 0.92 threshold. Bake: the 10 minutes end with no failure."
    )
    assert (unread.time, unread.line) == ("09:51", 19)


@pytest.mark.parametrize("as_list", [True, False], ids=["list", "paragraph"])
def test_a_timeline_may_be_a_list_or_plain_lines(tmp_path: Path, as_list: bool) -> None:
    text = FOUR_SECTION.read_text(encoding="utf-8")
    block = text[text.index("```text\n") : text.index("```\n\n## 3.") + 4]
    lines = block.removeprefix("```text\n").removesuffix("```\n").splitlines()
    if as_list:
        lines = [f"- {line}" if line[:1].isdigit() else line for line in lines]
    pm = parse_postmortem(edited(FOUR_SECTION, ((block, "\n".join(lines) + "\n"),), tmp_path))
    # Without the fence line, every entry stands one line higher.
    assert [(row.time, row.line) for row in pm.timeline] == [
        ("09:28", 9),
        ("09:31", 12),
        ("09:34", 13),
        ("09:42", 16),
        ("09:47", 17),
        ("09:51", 18),
        ("10:05", 22),
        ("10:12", 24),
        ("10:18", 25),
    ]
    assert pm.timeline[0].event.endswith("Bake: the 10 minutes end with no failure.")
    assert [f.rule for f in lint(pm)] == ["action-enforced"]


def test_an_id_column_numbers_the_items_of_the_four_section_template(tmp_path: Path) -> None:
    edits = (
        ("| Action | Owner |", "| ID | Action | Owner |"),
        ("|---|---|---|---|", "|---|---|---|---|---|"),
        ("| Pin max_decode_tokens", "| AI-1 | Pin max_decode_tokens"),
        ("| Add 50 long-tail", "| AI-1 | Add 50 long-tail"),
        ("| Export the Prometheus", "| AI-3 | Export the Prometheus"),
        ('| Make "non-empty', '| AI-4 | Make "non-empty'),
        ("| Put 5 sampled", "| AI-5 | Put 5 sampled"),
    )
    pm = parse_postmortem(edited(FOUR_SECTION, edits, tmp_path))
    assert [item.id for item in pm.action_items] == ["AI-1", "AI-1", "AI-3", "AI-4", "AI-5"]
    assert [(f.rule, f.line, f.message) for f in lint(pm) if f.severity == "error"] == [
        ("action-id-unique", 43, "action item id AI-1 is already used on line 42")
    ]


def test_gate_yaml_may_name_the_template_every_file_is_read_as(tmp_path: Path) -> None:
    path = edited(ANALYSIS, (("## Analysis", "## Situation"),), tmp_path)
    assert parse_postmortem(path).template.name == "analysis"
    as_four = parse_postmortem(path, "four-section")
    assert as_four.template.name == "four-section"
    assert [f.message for f in lint(as_four) if f.rule == "action-table"] == [
        "the action item columns are 'ID | Action | Owner | Due | Priority | Factor', "
        "not 'Action | Owner | Due | Done when'"
    ]


@pytest.mark.parametrize(
    ("template", "text", "message"),
    [
        (
            "auto",
            "# Postmortem: Checkout down\n\n## Summary\n",
            "1: title 'Postmortem: Checkout down' has no 'ID:' line under it; start the file "
            "with a title line '# Postmortem: <title>' and a line 'ID: PM-YYYY-MM-DD-<slug>' "
            "under it",
        ),
        (
            "four-section",
            "# Checkout down\n\n## 1. Situation\n",
            "1: title 'Checkout down' does not start with an id; start the file with a title "
            "line '# INC-YYYY-MM-DD-<slug> — <one-line title>'",
        ),
        (
            "auto",
            "## 1. Situation\n\nText.\n",
            "1: no title line before the first section; start the file with a title line "
            "'# INC-YYYY-MM-DD-<slug> — <one-line title>'",
        ),
    ],
)
def test_a_file_without_an_id_names_the_title_line_of_its_template(
    tmp_path: Path, template: str, text: str, message: str
) -> None:
    path = tmp_path / "untitled.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PostmortemError) as caught:
        parse_postmortem(path, template)
    assert str(caught.value) == f"{path}:{message}"


@pytest.mark.parametrize("dash", [":", " \u2014", " \u2013"], ids=["colon", "em", "en"])
def test_the_title_id_may_be_followed_by_a_colon_or_a_dash(tmp_path: Path, dash: str) -> None:
    edits = ((" — Blank Spanish gloss", f"{dash} Blank Spanish gloss"),)
    pm = parse_postmortem(edited(FOUR_SECTION, edits, tmp_path))
    assert (pm.id, pm.title[:19]) == (
        "INC-2026-08-14-tutor-spanish-gloss-missing",
        "Blank Spanish gloss",
    )
