"""Checks on the timeline table, its tagged rows and the detection and mitigation times."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

from gate.postmortems.checks import Issue, is_placeholder
from gate.postmortems.model import TIMELINE, Duration, Postmortem
from gate.postmortems.times import (
    DETECTED,
    IMPACT,
    MARKERS,
    MITIGATED,
    clock,
    header_stamp,
    hhmm,
    marker_time,
    minutes_between,
    row_times,
    stamp,
    tagged,
    utc_stamp,
)

COLUMNS = ("Time", "Event", "Source")
# A timeline entry that tells how people found out, instead of what a signal showed.
_NARRATIVE = re.compile(r"\bwe (?:then )?(?:noticed|saw|realised|realized)\b", re.IGNORECASE)
_SIGNALS = "a log line, a commit, an alert, a deploy"


def _as_lines(pm: Postmortem) -> bool:
    """Whether the timeline is `HH:MM event` lines (the four-section template), not a table."""
    return not pm.template.timeline_table and not pm.timeline_columns


def _anchor(pm: Postmortem) -> int:
    """The line to point at for a problem with the timeline as a whole."""
    section = pm.section(TIMELINE)
    return pm.timeline_line or (section.line if section else pm.title_line)


def timeline_table(pm: Postmortem) -> Iterator[Issue]:
    """The timeline is a table with the columns Time | Event | Source and at least one row."""
    section = pm.section(TIMELINE)
    if section is None:
        return
    wanted = " | ".join(COLUMNS)
    if _as_lines(pm):
        if not pm.timeline:
            yield Issue(
                section.line,
                "the timeline has no 'HH:MM event' lines",
                "list the events in time order, one a line, each starting with its UTC time.",
            )
    elif not pm.timeline_line:
        yield Issue(
            section.line, "the timeline has no table", f"add a table with columns {wanted}."
        )
    elif tuple(c.casefold() for c in pm.timeline_columns) != tuple(c.casefold() for c in COLUMNS):
        yield Issue(
            pm.timeline_line,
            f"the timeline columns are '{' | '.join(pm.timeline_columns)}', not '{wanted}'",
            f"use exactly the columns {wanted}.",
        )
    elif not pm.timeline:
        yield Issue(pm.timeline_line, "the timeline table has no rows", "add one row per signal.")


def timeline_utc(pm: Postmortem) -> Iterator[Issue]:
    """Every time is UTC, written HH:MM or YYYY-MM-DDTHH:MMZ."""
    for row in pm.timeline:
        if clock(row.time) is None and utc_stamp(row.time) is None:
            yield Issue(
                row.line,
                f"time '{row.time}' is not UTC written HH:MM or YYYY-MM-DDTHH:MMZ",
                "convert it to UTC; write HH:MM, or the full timestamp on the first row "
                "after midnight.",
            )


def timeline_order(pm: Postmortem) -> Iterator[Issue]:
    """Rows are in chronological order (rows with invalid times are left to timeline-utc)."""
    previous: tuple[datetime, int] | None = None
    for row, moment in zip(pm.timeline, row_times(pm), strict=True):
        if moment is None:
            continue
        if previous and moment < previous[0]:
            yield Issue(
                row.line,
                f"time {row.time} comes before {hhmm(previous[0])} on line {previous[1]}",
                "put the rows in time order; after midnight, write the full YYYY-MM-DDTHH:MMZ.",
            )
        previous = (moment, row.line)


def timeline_source(pm: Postmortem) -> Iterator[Issue]:
    """Every row names the evidence it rests on."""
    if _as_lines(pm):
        yield from _signals(pm)
        return
    for row in pm.timeline:
        if is_placeholder(row.source):
            yield Issue(
                row.line,
                f"the row at {row.time} has no source",
                "name its evidence: a log line, alert, deploy, commit, dashboard panel or ticket.",
            )


def _signals(pm: Postmortem) -> Iterator[Issue]:
    # Without a Source column the event itself must be the signal, not a story.
    for row in pm.timeline:
        narrative = _NARRATIVE.search(row.event)
        if is_placeholder(row.event):
            yield Issue(
                row.line,
                f"the entry at {row.time} has no event after the time",
                f"say what the signal showed: {_SIGNALS}.",
            )
        elif narrative:
            yield Issue(
                row.line,
                f"the entry at {row.time} tells a story ('{narrative[0]}'), not a signal",
                f"name the signal itself: {_SIGNALS}.",
            )


def timeline_markers(pm: Postmortem) -> Iterator[Issue]:
    """Exactly one row each is tagged (impact start), (detected) and (mitigated), in that order."""
    if not pm.timeline:
        return
    for marker in MARKERS:
        rows = tagged(pm, marker)
        if not rows:
            yield Issue(
                _anchor(pm),
                f"no timeline row is tagged '{marker}'",
                f"add '{marker}' to the Event of the row where that happened.",
            )
        for row, _ in rows[1:]:
            yield Issue(
                row.line,
                f"'{marker}' tags a second row, after line {rows[0][0].line}",
                "keep the tag on one row only: the first moment it happened.",
            )
    start = marker_time(pm, IMPACT)
    for marker in (DETECTED, MITIGATED):
        moment, rows = marker_time(pm, marker), tagged(pm, marker)
        if start and moment and moment < start:
            yield Issue(
                rows[0][0].line,
                f"the '{marker}' row is earlier than the '{IMPACT}' row",
                f"tag the first affected moment as '{IMPACT}'.",
            )


def timeline_durations(pm: Postmortem) -> Iterator[Issue]:
    """Detection and mitigation times are given in minutes and match the tagged rows."""
    if pm.section(TIMELINE) is None:
        return
    start = marker_time(pm, IMPACT)
    for label, duration, marker in (
        ("Detection", pm.detection, DETECTED),
        ("Mitigation", pm.mitigation, MITIGATED),
    ):
        end = marker_time(pm, marker)
        yield from _duration(pm, label, duration, marker, start, end)


def _duration(
    pm: Postmortem,
    label: str,
    duration: Duration | None,
    marker: str,
    start: datetime | None,
    end: datetime | None,
) -> Iterator[Issue]:
    if duration is None:
        # Only the project's template tags the rows the two times are measured between.
        between = (
            f"the '{marker}' row minus the '{IMPACT}' row"
            if pm.template.timeline_markers
            else f"the minutes from the start of impact to its {label.lower()}"
        )
        yield Issue(
            _anchor(pm),
            f"the '{label} time: N min' line is missing",
            f"add it under the timeline table: {between}.",
        )
    elif duration.minutes is None:
        yield Issue(
            duration.line,
            f"{label} time '{duration.raw}' is not a whole number of minutes",
            f"write it like '{label} time: 16 min'.",
        )
    elif start and end and duration.minutes != minutes_between(start, end):
        actual = minutes_between(start, end)
        yield Issue(
            duration.line,
            f"{label} time is {duration.minutes} min but the timeline gives {actual} min, "
            f"from the '{IMPACT}' row at {hhmm(start)} to the '{marker}' row at {hhmm(end)}",
            f"write '{label} time: {actual} min', or correct the tagged rows.",
        )


def incident_window(pm: Postmortem) -> Iterator[Issue]:
    """Started is the (impact start) row and Ended is not before the (mitigated) row."""
    started, ended = header_stamp(pm, "Started (UTC)"), header_stamp(pm, "Ended (UTC)")
    start, mitigated = marker_time(pm, IMPACT), marker_time(pm, MITIGATED)
    started_field, ended_field = pm.field("Started (UTC)"), pm.field("Ended (UTC)")
    if started and start and started_field and started != start:
        yield Issue(
            started_field.line,
            f"Started (UTC) is {stamp(started)} but the '{IMPACT}' row is at {stamp(start)}",
            "make Started the moment impact began, and tag that row.",
        )
    if ended and mitigated and ended_field and ended < mitigated:
        yield Issue(
            ended_field.line,
            f"Ended (UTC) is {stamp(ended)}, before the '{MITIGATED}' row at {stamp(mitigated)}",
            "make Ended the moment impact was confirmed over.",
        )
