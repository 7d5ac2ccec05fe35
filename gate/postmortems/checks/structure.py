"""Checks on the title, header block, sections, summary and review record."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gate.postmortems.checks import Issue, is_placeholder
from gate.postmortems.model import (
    HEADER_FIELDS,
    REQUIRED_SECTIONS,
    REVIEW,
    REVIEW_FIELDS,
    Postmortem,
)
from gate.postmortems.times import header_stamp, id_date, iso_date

_ID = re.compile(r"INC-\d{4}-\d{2}-\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*")
_SEVERITY = re.compile(r"SEV[0-4]")
_STATUSES = ("Draft", "Final")
_TEMPLATE = "postmortems/TEMPLATE.md"
MIN_WORDS, MAX_WORDS = 50, 150


def title_id(pm: Postmortem) -> Iterator[Issue]:
    """The id is INC-<real date>-<slug>, a title follows it, and the file is named after it."""
    started = header_stamp(pm, "Started (UTC)")
    problem = ""
    fix = "write the id as INC-, the UTC start date, then a lowercase slug (a-z, 0-9, hyphens)."
    if not _ID.fullmatch(pm.id):
        problem = f"title id '{pm.id}' is not INC-YYYY-MM-DD-<slug>"
    elif id_date(pm) is None:
        problem = f"title id '{pm.id}' does not hold a real date"
    elif not pm.title:
        problem = "the title line has no title after the id"
        fix = "add a one-line title after the colon."
    elif pm.path.stem != pm.id:
        problem = f"file name '{pm.path.name}' does not match the title id '{pm.id}'"
        fix = f"rename the file to {pm.id}.md, so that action item refs lead to it."
    elif started and started.date() != id_date(pm):
        problem = f"title id date {id_date(pm)} is not the date of Started (UTC) {started.date()}"
        fix = "use the UTC date on which the impact started in both places."
    if problem:
        yield Issue(pm.title_line, problem, fix)


def header_fields(pm: Postmortem) -> Iterator[Issue]:
    """Each header field is present and filled in."""
    for name in HEADER_FIELDS:
        field = pm.field(name)
        if field is None:
            yield Issue(
                pm.title_line,
                f"header field '{name}' is missing",
                f"add '- {name}: <value>' to the list under the title.",
            )
        elif is_placeholder(field.value):
            yield Issue(field.line, f"header field '{name}' is empty", f"fill in '{name}'.")


def header_values(pm: Postmortem) -> Iterator[Issue]:
    """Status, Severity, Started and Ended have valid values, and Ended is not before Started."""
    status, severity = pm.field("Status"), pm.field("Severity")
    if status and status.value and status.value not in _STATUSES:
        yield Issue(
            status.line, f"Status '{status.value}' is not Draft or Final", "write Draft or Final."
        )
    if severity and severity.value and not _SEVERITY.fullmatch(severity.value):
        yield Issue(
            severity.line,
            f"Severity '{severity.value}' is not SEV0 to SEV4",
            "write SEV0 (worst) to SEV4.",
        )
    for name in ("Started (UTC)", "Ended (UTC)"):
        field = pm.field(name)
        if field and not is_placeholder(field.value) and header_stamp(pm, name) is None:
            yield Issue(
                field.line,
                f"{name} '{field.value}' is not a UTC time written YYYY-MM-DDTHH:MMZ",
                "convert it to UTC and write it like 2026-06-10T14:02Z.",
            )
    started, ended = header_stamp(pm, "Started (UTC)"), header_stamp(pm, "Ended (UTC)")
    ended_field = pm.field("Ended (UTC)")
    if started and ended and ended_field and ended < started:
        yield Issue(
            ended_field.line,
            f"Ended (UTC) {ended_field.value} is before Started (UTC)",
            "correct whichever of the two is wrong.",
        )


def required_sections(pm: Postmortem) -> Iterator[Issue]:
    """Every section of the template is present as an H2 heading, once."""
    first: dict[str, int] = {}
    for section in pm.sections:
        key = section.title.casefold()
        if key in first:
            yield Issue(
                section.line,
                f"section '## {section.title}' repeats the one on line {first[key]}",
                "merge the two; only the first is read.",
            )
        first.setdefault(key, section.line)
    for n, title in enumerate(REQUIRED_SECTIONS):
        if pm.section(title) is not None:
            continue
        later = [s for t in REQUIRED_SECTIONS[n + 1 :] if (s := pm.section(t)) is not None]
        line = later[0].line if later else (pm.sections[-1].line if pm.sections else pm.title_line)
        place = f"before '## {later[0].title}'" if later else "after the other sections"
        yield Issue(
            line,
            f"section '## {title}' is missing",
            f"add it {place}; {_TEMPLATE} shows what goes in it.",
        )


def empty_section(pm: Postmortem) -> Iterator[Issue]:
    """No required section is left empty."""
    for title in REQUIRED_SECTIONS:
        section = pm.section(title)
        if section is not None and section.empty:
            yield Issue(
                section.line,
                f"section '## {title}' is empty",
                "answer it, or keep Status: Draft until it can be answered.",
            )


def summary_length(pm: Postmortem) -> Iterator[Issue]:
    """The summary is one paragraph of 50 to 150 words."""
    section = pm.section("Summary")
    if section is None or section.empty:
        return
    line = pm.summary_line or section.line
    words = len(pm.summary.split())
    if pm.summary_paragraphs != 1:
        yield Issue(
            line,
            f"the summary has {pm.summary_paragraphs} blocks, not one paragraph",
            f"merge them into a single paragraph of {MIN_WORDS} to {MAX_WORDS} words.",
        )
    elif not MIN_WORDS <= words <= MAX_WORDS:
        yield Issue(
            line,
            f"the summary has {words} words, outside {MIN_WORDS} to {MAX_WORDS}",
            "say what broke, who was affected, when it started and ended, how it was mitigated.",
        )


def review_record(pm: Postmortem) -> Iterator[Issue]:
    """The review record gives the meeting date, the attendees and the decisions."""
    section = pm.section(REVIEW)
    if section is None or section.empty:
        return  # a missing or empty section is already a finding of its own
    for name in REVIEW_FIELDS:
        field = next((f for f in pm.review if f.name.casefold() == name.casefold()), None)
        if field is None:
            yield Issue(
                section.line,
                f"the review record has no '{name}' line",
                f"add '- {name}: ...' once the review meeting has happened.",
            )
        elif is_placeholder(field.value):
            yield Issue(field.line, f"review record '{name}' is empty", f"fill in '{name}'.")
        elif name == "Date" and iso_date(field.value) is None:
            yield Issue(
                field.line,
                f"review date '{field.value}' is not a real YYYY-MM-DD date",
                "write the meeting date, like 2026-06-12.",
            )
