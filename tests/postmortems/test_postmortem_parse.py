"""The parser: worked postmortems come out whole, and unreadable files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.postmortems import (
    PostmortemError,
    load_postmortems,
    parse_postmortem,
)
from gate.postmortems.model import REQUIRED_SECTIONS

REPO = Path(__file__).resolve().parents[2]
POSTMORTEMS = REPO / "postmortems"
TUTOR = POSTMORTEMS / "INC-2026-08-14-tutor-spanish-gloss-missing.md"
CARTA = POSTMORTEMS / "INC-2026-06-10-carta-checkout-payments-drill.md"


def test_tutor_postmortem_parses_whole() -> None:
    pm = parse_postmortem(TUTOR)
    assert pm.id == "INC-2026-08-14-tutor-spanish-gloss-missing"
    assert pm.status == "Final"
    assert pm.severity == "SEV3"
    assert [f.id for f in pm.factors] == ["F1", "F2", "F3", "F4", "F5"]
    assert [f.type for f in pm.factors] == [
        "technical",
        "process",
        "detection",
        "technical",
        "detection",
    ]
    assert [(a.ref, a.line) for a in pm.action_items] == [
        ("INC-2026-08-14-tutor-spanish-gloss-missing#AI-1", 58),
        ("INC-2026-08-14-tutor-spanish-gloss-missing#AI-2", 59),
        ("INC-2026-08-14-tutor-spanish-gloss-missing#AI-3", 60),
        ("INC-2026-08-14-tutor-spanish-gloss-missing#AI-4", 61),
        ("INC-2026-08-14-tutor-spanish-gloss-missing#AI-5", 62),
    ]
    assert [a.factor for a in pm.action_items] == ["F1", "F2", "F3", "F4", "F5"]
    assert [a.due for a in pm.action_items] == [
        "2026-08-21",
        "2026-08-25",
        "2026-08-21",
        "2026-08-22",
        "2026-08-23",
    ]
    assert {a.owner for a in pm.action_items} == {"Borja"}
    assert all(a.enforced for a in pm.action_items)
    assert (pm.detection_minutes, pm.detection_line) == (16, 27)
    assert (pm.mitigation_minutes, pm.mitigation_line) == (41, 28)


def test_tutor_timeline_keeps_cells_and_lines() -> None:
    pm = parse_postmortem(TUTOR)
    assert [r.time for r in pm.timeline][:3] == ["09:28", "09:31", "09:34"]
    first_signal = pm.timeline[2]
    assert first_signal.line == 19
    assert "spanish_gloss=null" in first_signal.event  # code spans keep their text
    assert first_signal.source == "portal log, alert rule list"


def test_carta_postmortem_parses_whole() -> None:
    pm = parse_postmortem(CARTA)
    assert pm.id == "INC-2026-06-10-carta-checkout-payments-drill"
    assert pm.severity == "SEV2"
    assert [f.id for f in pm.factors] == ["F1", "F2", "F3", "F4"]
    assert [(a.ref, a.line) for a in pm.action_items] == [
        ("INC-2026-06-10-carta-checkout-payments-drill#AI-1", 63),
        ("INC-2026-06-10-carta-checkout-payments-drill#AI-2", 64),
        ("INC-2026-06-10-carta-checkout-payments-drill#AI-3", 65),
        ("INC-2026-06-10-carta-checkout-payments-drill#AI-4", 66),
        ("INC-2026-06-10-carta-checkout-payments-drill#AI-5", 67),
    ]
    first = pm.action_items[0]
    assert (first.owner, first.due, first.priority) == ("Priya", "2026-06-24", "P1")
    assert [a.enforced for a in pm.action_items] == [True, True, False, False, False]
    shared = pm.action_items[4]
    assert (shared.factor, shared.allow_shared_factor) == ("F3", True)
    assert [f.line for f in pm.review] == [71, 72, 73]


def test_sections_are_found_with_their_lines() -> None:
    pm = parse_postmortem(CARTA)
    assert [(s.title, s.line) for s in pm.sections] == [
        ("Summary", 10),
        ("Timeline (UTC)", 14),
        ("Contributing factors", 39),
        ("What went well", 52),
        ("Action items", 59),
        ("Review record", 69),
    ]
    assert pm.summary_line == 12
    assert pm.summary_paragraphs == 1


def test_load_skips_the_template() -> None:
    ids = [pm.id for pm in load_postmortems(POSTMORTEMS)]
    assert ids == [
        "INC-2026-06-10-carta-checkout-payments-drill",
        "INC-2026-08-14-tutor-spanish-gloss-missing",
    ]


def test_template_keeps_every_required_section() -> None:
    template = parse_postmortem(POSTMORTEMS / "TEMPLATE.md")
    assert tuple(s.title for s in template.sections) == REQUIRED_SECTIONS
    assert template.action_columns == (
        "ID",
        "Action",
        "Owner",
        "Due",
        "Priority",
        "Factor",
        "Done when",
        "Enforced",
    )


def test_a_byte_order_mark_is_not_part_of_the_title(tmp_path: Path) -> None:
    path = tmp_path / TUTOR.name
    path.write_bytes(b"\xef\xbb\xbf" + TUTOR.read_bytes())
    with_mark, without = parse_postmortem(path), parse_postmortem(TUTOR)
    assert (with_mark.id, with_mark.title, with_mark.title_line) == (
        without.id,
        without.title,
        without.title_line,
    )
    assert with_mark.action_items == without.action_items


def test_non_utf8_file_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "INC-2026-06-10-latin1.md"
    path.write_bytes(b"# INC-2026-06-10-latin1: Title\n\n- Authors: Ren\xe9\n")
    with pytest.raises(PostmortemError) as caught:
        parse_postmortem(path)
    assert str(caught.value) == f"{path}:3: byte 0xe9 is not UTF-8; save the file as UTF-8"
    assert (caught.value.path, caught.value.line) == (path, 3)
    assert caught.value.message == "byte 0xe9 is not UTF-8; save the file as UTF-8"


def test_missing_title_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "untitled.md"
    path.write_text("- Status: Draft\n\n## Summary\n\nText.\n", encoding="utf-8")
    with pytest.raises(PostmortemError) as caught:
        parse_postmortem(path)
    assert str(caught.value) == (
        f"{path}:1: no title line before the first section; start the file with a title line "
        "'# INC-YYYY-MM-DD-<slug>: <one-line title>'"
    )


def test_title_without_an_id_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "no-id.md"
    path.write_text("\n# Checkout went down\n\n## Summary\n", encoding="utf-8")
    with pytest.raises(PostmortemError) as caught:
        parse_postmortem(path)
    assert str(caught.value) == (
        f"{path}:2: title 'Checkout went down' does not start with an id; start the file with "
        "a title line '# INC-YYYY-MM-DD-<slug>: <one-line title>'"
    )


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "gone.md"
    with pytest.raises(PostmortemError) as caught:
        parse_postmortem(path)
    assert str(caught.value) == (
        f"{path}:1: cannot read the file (No such file or directory); check the path"
    )


def test_error_shows_paths_relative_to_the_working_directory() -> None:
    error = PostmortemError(POSTMORTEMS / "x.md", 12, "the problem; the fix")
    assert str(error) == "postmortems/x.md:12: the problem; the fix"
    assert isinstance(error, Exception)
