"""Postmortem Markdown: any file gives a postmortem with findings, or one message; never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.links import lint_findings, load_postmortems
from tests.conftest import INCIDENT, REPO
from tests.properties.strategies import NASTY, mutated, write

# The incident in each of the three templates the parser reads.
SOURCES = {
    path.name: path.read_text(encoding="utf-8")
    for path in (
        REPO / "postmortems" / f"{INCIDENT}.md",
        REPO / "tests/postmortems/analysis/PM-2026-08-14-tutor-spanish-gloss-missing.md",
    )
}
FOUR_SECTION = (REPO / "tests/postmortems/four-section" / f"{INCIDENT}.md").read_text("utf-8")
# The four-section file shares its name with the project's own: keep both under one name.
TEXTS = [*SOURCES.values(), FOUR_SECTION]
NAMES = [*SOURCES, f"{INCIDENT}.md"]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("postmortems")


def _read(folder: Path, data: str | bytes, name: str = f"{INCIDENT}.md") -> None:
    for stale in folder.glob("*.md"):
        stale.unlink()
    write(folder / name, data)
    postmortems, errors = load_postmortems(folder)
    assert len(postmortems) + len(errors) == 1
    for error in errors:
        assert error.message.strip() and error.line is not None
    for finding in lint_findings(postmortems):
        assert finding.message.strip() and finding.line >= 0


@st.composite
def _line_edits(draw: st.DrawFn, source: str) -> str:
    """A worked example with a few whole lines dropped, repeated, swapped or garbled."""
    lines = source.split("\n")
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from(["drop", "repeat", "swap", "garble", "cells"]))
        if how == "drop":
            del lines[at]
        elif how == "repeat":
            lines.insert(at, lines[at])
        elif how == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif how == "garble":
            lines[at] = draw(st.text(st.sampled_from(NASTY + "|#*_"), max_size=40))
        else:  # a table row with too many or too few cells
            lines[at] = "|" + "|".join(draw(st.lists(st.text(max_size=8), max_size=9))) + "|"
    return "\n".join(lines)


@pytest.mark.parametrize("n", range(len(TEXTS)), ids=["gate", "analysis", "four-section"])
@given(data=st.data())
def test_whole_lines_changed(folder: Path, n: int, data: st.DataObject) -> None:
    _read(folder, data.draw(_line_edits(TEXTS[n])), NAMES[n])


@pytest.mark.parametrize("n", range(len(TEXTS)), ids=["gate", "analysis", "four-section"])
@given(data=st.data())
def test_one_character_changed(folder: Path, n: int, data: st.DataObject) -> None:
    _read(folder, data.draw(mutated(TEXTS[n])), NAMES[n])


@given(st.binary(max_size=400))
def test_arbitrary_bytes(folder: Path, data: bytes) -> None:
    _read(folder, data)
