"""Every postmortem test runs from the repository root, so that paths print relative to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from gate.postmortems import lint, parse_postmortem

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _at_repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


FOUR_SECTION = REPO / "tests/postmortems/four-section/INC-2026-08-14-tutor-spanish-gloss-missing.md"
ANALYSIS = REPO / "tests/postmortems/analysis/PM-2026-08-14-tutor-spanish-gloss-missing.md"

#: An edit of a worked postmortem: each (old, new) pair replaces text found exactly once.
Edits = tuple[tuple[str, str], ...]


def edited(source: Path, edits: Edits, folder: Path) -> Path:
    """A copy of `source` under its own name in `folder`, with the edits made."""
    text = source.read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, f"{old!r} is not in {source.name} exactly once"
        text = text.replace(old, new)
    path = folder / source.name
    path.write_text(text, encoding="utf-8")
    return path


def add_column(row_ends: tuple[str, ...], cells: tuple[str, ...]) -> Edits:
    """Edits that add a last column to a table: a cell after each row end, header and rule too."""
    return tuple((end, f"{end} {cell} |") for end, cell in zip(row_ends, cells, strict=True))


def findings_besides(path: Path, known: list[str]) -> list[str]:
    """The findings of a file, each as `line: ...` after its path, but for the `known` ones.

    `known` are the clean file's findings, also as `line: ...`; they are left out at whatever
    line an edit moved them to.
    """
    shown = [str(f).removeprefix(f"{path}:") for f in lint(parse_postmortem(path))]
    skip = {line.split(": ", 1)[1] for line in known}
    return [line for line in shown if line.split(": ", 1)[1] not in skip]
