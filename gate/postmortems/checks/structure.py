"""Checks on the title, header block, sections, summary and review record."""

from __future__ import annotations

import re
from collections.abc import Iterator

from gate.postmortems.checks import Issue, is_placeholder
from gate.postmortems.model import REVIEW, SUMMARY, Postmortem
from gate.postmortems.times import header_stamp, id_date, iso_date

_SEVERITY = re.compile(r"SEV[0-4]")
_STATUSES = ("Draft", "Final")


def title_id(pm: Postmortem) -> Iterator[Issue]:
    """The id is <prefix>-<real date>-<slug>, with a title, and the file is named after it."""
    form = pm.template
    problem = form.id_problem(pm.id)
    if problem:
        yield Issue(pm.id_line, problem, form.id_fix)
        return
    started = header_stamp(pm, "Started (UTC)")
    if not pm.title:
        yield Issue(
            pm.title_line,
            f"the title line has no title after {form.title_after}",
            f"add a one-line title after {form.title_after}.",
        )
    elif pm.path.stem != pm.id:
        yield Issue(
            pm.id_line,
            f"file name '{pm.path.name}' does not match the {form.id_name} '{pm.id}'",
            f"rename the file to {pm.id}.md, so that action item refs lead to it.",
        )
    elif started and started.date() != id_date(pm):
        yield Issue(
            pm.id_line,
            f"{form.id_name} date {id_date(pm)} is not the date of Started (UTC) {started.date()}",
            "use the UTC date on which the impact started in both places.",
        )


def header_fields(pm: Postmortem) -> Iterator[Issue]:
    """Each header field is present and filled in."""
    form = pm.template
    for name in form.header_fields:
        field = pm.field(name)
        if field is None:
            where = "the list under the title" if form.field_prefix else "the lines under the title"
            yield Issue(
                pm.title_line,
                f"header field '{name}' is missing",
                f"add '{form.field_prefix}{name}: <value>' to {where}.",
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
    form = pm.template
    first: dict[str, int] = {}
    for section in pm.sections:
        if section.key in first:
            yield Issue(
                section.line,
                f"section '## {section.title}' repeats the one on line {first[section.key]}",
                "merge the two; only the first is read.",
            )
        if section.key:
            first.setdefault(section.key, section.line)
    keys = [key for key, _ in form.headings]
    for n, key in enumerate(keys):
        if pm.section(key) is not None:
            continue
        later = [s for k in keys[n + 1 :] if (s := pm.section(k)) is not None]
        line = later[0].line if later else (pm.sections[-1].line if pm.sections else pm.title_line)
        place = f"before '## {later[0].title}'" if later else "after the other sections"
        yield Issue(
            line,
            f"section '## {form.heading(key)}' is missing",
            f"add it {place}; {form.shown_by} shows what goes in it.",
        )


def empty_section(pm: Postmortem) -> Iterator[Issue]:
    """No required section is left empty."""
    form = pm.template
    fix = (
        "answer it, or keep Status: Draft until it can be answered."
        if "Status" in form.header_fields
        else "fill it in; what cannot be answered yet, say so in a sentence."
    )
    for key, heading in form.headings:
        section = pm.section(key)
        if section is not None and section.empty:
            yield Issue(section.line, f"section '## {heading}' is empty", fix)


def summary_length(pm: Postmortem) -> Iterator[Issue]:
    """The summary is one paragraph (of 50 to 150 words, where the template says so)."""
    form = pm.template
    section = pm.section(SUMMARY)
    if section is None or section.empty:
        return
    line = pm.summary_line or section.line
    words = len(pm.summary.split())
    name = form.heading(SUMMARY).lower()
    low, high = form.summary_words or (0, 0)
    if pm.summary_paragraphs != 1:
        size = f" of {low} to {high} words" if form.summary_words else ""
        yield Issue(
            line,
            f"the {name} has {pm.summary_paragraphs} blocks, not one paragraph",
            f"merge them into a single paragraph{size}.",
        )
    elif form.summary_words and not low <= words <= high:
        yield Issue(
            line, f"the {name} has {words} words, outside {low} to {high}", form.summary_fix
        )


def review_record(pm: Postmortem) -> Iterator[Issue]:
    """The review record gives the meeting date, the attendees and the decisions."""
    form = pm.template
    section = pm.section(REVIEW)
    if section is None or section.empty:
        return  # a missing or empty section is already a finding of its own
    for name in form.review_fields:
        field = next((f for f in pm.review if f.name.casefold() == name.casefold()), None)
        if field is None:
            yield Issue(
                section.line,
                f"the review record has no '{name}' line",
                f"add '{form.field_prefix}{name}: ...' once the review meeting has happened.",
            )
        elif is_placeholder(field.value):
            yield Issue(field.line, f"review record '{name}' is empty", f"fill in '{name}'.")
        elif name == "Date" and iso_date(field.value) is None:
            yield Issue(
                field.line,
                f"review date '{field.value}' is not a real YYYY-MM-DD date",
                "write the meeting date, like 2026-06-12.",
            )
        elif name == "Status" and field.value not in _STATUSES:
            yield Issue(
                field.line,
                f"review record Status '{field.value}' is not Draft or Final",
                "write Final once the review has accepted the postmortem, Draft until then.",
            )
