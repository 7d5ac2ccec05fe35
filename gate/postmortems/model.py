"""What a parsed postmortem holds: plain, frozen values with the line each one came from."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the templates name these sections, so they import this module
    from gate.postmortems.templates import Template

#: The H2 sections of the project's template, in its order; they also name the sections of the
#: other templates, whatever those call them (`Situation` is the summary).
SUMMARY = "Summary"
TIMELINE = "Timeline (UTC)"
FACTORS = "Contributing factors"
WENT_WELL = "What went well"
ACTIONS = "Action items"
REVIEW = "Review record"
REQUIRED_SECTIONS: tuple[str, ...] = (SUMMARY, TIMELINE, FACTORS, WENT_WELL, ACTIONS, REVIEW)

#: The `Key: value` lines of the header block, in template order.
HEADER_FIELDS: tuple[str, ...] = ("Status", "Severity", "Authors", "Started (UTC)", "Ended (UTC)")

#: The `Key: value` lines of the review record.
REVIEW_FIELDS: tuple[str, ...] = ("Date", "Attendees", "Decisions")


def shown_path(path: Path) -> str:
    """Show a path relative to the working directory when it lies below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows: keep the path as given
        return str(path)
    return str(path) if rel.startswith("..") else rel


class PostmortemError(Exception):
    """A postmortem file that cannot be read as a postmortem at all.

    The message names the problem and the fix, separated by a semicolon, so
    that `str(error)` reads `postmortems/x.md:12: <what is wrong>; <the fix>`.
    """

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{shown_path(self.path)}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Field:
    """One `Key: value` line of the header block or the review record."""

    name: str
    value: str
    line: int


@dataclass(frozen=True)
class Section:
    """An H2 section: its heading text, the heading's line, and whether anything follows it.

    `key` is the section it stands for (one of `REQUIRED_SECTIONS`, whatever
    its heading says), or '' for a heading no template knows.
    """

    title: str
    line: int
    empty: bool
    key: str = ""


@dataclass(frozen=True)
class TextBlock:
    """A run of rendered prose (a paragraph, a table cell or a heading) and its first line.

    Lines inside `text` are separated by newlines, one per source line, so the
    line of any part of it is `line` plus the number of newlines before it.
    """

    section: str
    line: int
    text: str

    def lines(self) -> tuple[tuple[int, str], ...]:
        """Each source line of the block with its line number."""
        return tuple((self.line + n, part) for n, part in enumerate(self.text.split("\n")))


@dataclass(frozen=True)
class TimelineRow:
    """One row of the timeline table, with cells as written."""

    time: str
    event: str
    source: str
    line: int


@dataclass(frozen=True)
class Duration:
    """A `Detection time: N min` or `Mitigation time: N min` line."""

    label: str
    raw: str
    minutes: int | None
    line: int


@dataclass(frozen=True)
class Factor:
    """A contributing factor: `F<n> [type] text`, then `Counterfactual: ...`.

    `name` is what the template calls it and its Factor column cites: the
    written id (`F2`), or its number in the list (`2`) in a template whose
    factors carry no id; `id` is then `F<number>`.
    """

    id: str
    type: str
    text: str
    counterfactual: str
    line: int
    name: str = ""


@dataclass(frozen=True)
class ActionItem:
    """One row of the action items table.

    `due`, `priority` and `factor` are kept as written so that the lint can
    say what is wrong with them, and are '' where the template has no such
    column. `id` is AI-<row number> in a table without an ID column.
    `enforced` is True when the row says `gate`, or when the table has no
    Enforced column: an item nobody marked manual is counted as the gate's.
    """

    postmortem_id: str
    id: str
    action: str
    owner: str
    due: str
    priority: str
    factor: str
    done_when: str
    enforced: bool
    enforced_as: str
    allow_shared_factor: bool
    line: int

    @property
    def ref(self) -> str:
        """The stable reference a gate check uses: `<postmortem id>#<AI-n>`."""
        return f"{self.postmortem_id}#{self.id}"

    @property
    def done_when_text(self) -> str:
        """The Done when criterion, or 'not written' where the postmortem gives none."""
        return self.done_when.strip() or "not written"


@dataclass(frozen=True)
class Postmortem:
    """A postmortem file, parsed but not judged; `gate.postmortems.lint` judges it.

    Line numbers are 1-based; a line of 0 means the thing is absent (a missing
    table, an empty summary). Text values are plain text: Markdown markup is
    dropped and code spans keep their content. A section that appears twice is
    read from its first occurrence. `template` is the template the file was
    read as; `id_line` is the line the id stands on (the title line, or the
    `ID:` line). A timeline written as `HH:MM event` lines has no columns, and
    its rows no source.
    """

    path: Path
    template: Template
    id: str
    id_line: int
    title: str
    title_line: int
    status: str
    severity: str
    header: tuple[Field, ...]
    sections: tuple[Section, ...]
    summary: str
    summary_line: int
    summary_paragraphs: int
    timeline_columns: tuple[str, ...]
    timeline_line: int
    timeline: tuple[TimelineRow, ...]
    detection: Duration | None
    mitigation: Duration | None
    factors: tuple[Factor, ...]
    action_columns: tuple[str, ...]
    action_line: int
    action_items: tuple[ActionItem, ...]
    review: tuple[Field, ...]
    blocks: tuple[TextBlock, ...]

    @property
    def is_draft(self) -> bool:
        """True while the header says `Status: Draft`."""
        return self.status == "Draft"

    @property
    def detection_minutes(self) -> int | None:
        """Minutes from impact start to detection, as the author wrote them."""
        return self.detection.minutes if self.detection else None

    @property
    def detection_line(self) -> int | None:
        """Line of the `Detection time:` line, if there is one."""
        return self.detection.line if self.detection else None

    @property
    def mitigation_minutes(self) -> int | None:
        """Minutes from impact start to mitigation, as the author wrote them."""
        return self.mitigation.minutes if self.mitigation else None

    @property
    def mitigation_line(self) -> int | None:
        """Line of the `Mitigation time:` line, if there is one."""
        return self.mitigation.line if self.mitigation else None

    def section(self, key: str) -> Section | None:
        """The first section standing for this one of `REQUIRED_SECTIONS`, or None."""
        return next((s for s in self.sections if s.key == key), None)

    def has_action_column(self, name: str) -> bool:
        """Whether the action items table has this column (compared without case)."""
        return name.casefold() in (c.casefold() for c in self.action_columns)

    def field(self, name: str) -> Field | None:
        """The header field with this name (compared without case), or None."""
        wanted = name.casefold()
        return next((f for f in self.header if f.name.casefold() == wanted), None)

    def factor(self, cited: str) -> Factor | None:
        """The contributing factor a Factor cell cites (`F2`, or `2` where factors have no id)."""
        wanted = cited.strip()
        return next((f for f in self.factors if wanted in (f.id, f.name)), None)
