"""Postmortem Markdown: any file gives a postmortem with findings, or one message; never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gate.links import lint_findings, load_postmortems
from tests.conftest import INCIDENT, REPO
from tests.properties.strategies import NASTY, mutated, write

SOURCE = (REPO / "postmortems" / f"{INCIDENT}.md").read_text(encoding="utf-8")
_LINES = SOURCE.split("\n")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("postmortems")


def _read(folder: Path, data: str | bytes) -> None:
    write(folder / f"{INCIDENT}.md", data)
    postmortems, errors = load_postmortems(folder)
    assert len(postmortems) + len(errors) == 1
    for error in errors:
        assert error.message.strip() and error.line is not None
    for finding in lint_findings(postmortems):
        assert finding.message.strip() and finding.line >= 0


@st.composite
def _line_edits(draw: st.DrawFn) -> str:
    """The worked example with a few whole lines dropped, repeated, swapped or garbled."""
    lines = list(_LINES)
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


@given(_line_edits())
def test_whole_lines_changed(folder: Path, text: str) -> None:
    _read(folder, text)


@given(mutated(SOURCE))
def test_one_character_changed(folder: Path, text: str) -> None:
    _read(folder, text)


@given(st.binary(max_size=400))
def test_arbitrary_bytes(folder: Path, data: bytes) -> None:
    _read(folder, data)
