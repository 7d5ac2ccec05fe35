"""Dates and times as the postmortem format writes them, all in UTC.

Header times and timeline rows that cross midnight use `YYYY-MM-DDTHH:MMZ`;
other timeline rows use `HH:MM` and take their date from the nearest full
timestamp above them, or from `Started (UTC)` when there is none.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from gate.postmortems.model import Postmortem, TimelineRow

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_CLOCK = re.compile(r"(\d{2}):(\d{2})")
_FULL = re.compile(r"(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})Z")
_ID_DATE = re.compile(r"[A-Z][A-Z0-9]*-(\d{4}-\d{2}-\d{2})-")

#: The tags that mark the three rows the detection and mitigation times are measured from.
IMPACT, DETECTED, MITIGATED = "(impact start)", "(detected)", "(mitigated)"
MARKERS: tuple[str, ...] = (IMPACT, DETECTED, MITIGATED)


def iso_date(value: str) -> date | None:
    """A real calendar date written `YYYY-MM-DD`, or None (2026-02-30 is None)."""
    if not _DAY.fullmatch(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def clock(value: str) -> time | None:
    """A valid `HH:MM` time of day, or None."""
    match = _CLOCK.fullmatch(value)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        return None
    return time(int(match[1]), int(match[2]), tzinfo=UTC)


def utc_stamp(value: str) -> datetime | None:
    """A valid `YYYY-MM-DDTHH:MMZ` timestamp, or None."""
    match = _FULL.fullmatch(value)
    if not match:
        return None
    day, hour = iso_date(match[1]), clock(f"{match[2]}:{match[3]}")
    return datetime.combine(day, hour) if day and hour else None


def date_in_id(ident: str) -> date | None:
    """The date inside a postmortem id (`PREFIX-YYYY-MM-DD-slug`), when it holds a real one."""
    match = _ID_DATE.match(ident)
    return iso_date(match[1]) if match else None


def id_date(pm: Postmortem) -> date | None:
    """The date inside the postmortem id, when the id has a real one."""
    return date_in_id(pm.id)


def header_stamp(pm: Postmortem, name: str) -> datetime | None:
    """A header time such as `Started (UTC)`, or None when absent or malformed."""
    field = pm.field(name)
    return utc_stamp(field.value) if field else None


def row_times(pm: Postmortem) -> tuple[datetime | None, ...]:
    """The UTC moment of each timeline row, None where the time is not valid UTC."""
    started = header_stamp(pm, "Started (UTC)")
    # Without a usable Started date any fixed day still orders same-day rows correctly.
    day = started.date() if started else id_date(pm) or date(1970, 1, 1)
    times: list[datetime | None] = []
    for row in pm.timeline:
        full = utc_stamp(row.time)
        if full:
            day = full.date()
            times.append(full)
            continue
        hour = clock(row.time)
        times.append(datetime.combine(day, hour) if hour else None)
    return tuple(times)


def tagged(pm: Postmortem, marker: str) -> list[tuple[TimelineRow, datetime | None]]:
    """The rows whose Event carries a marker such as `(detected)`, with their times."""
    return [
        (row, moment)
        for row, moment in zip(pm.timeline, row_times(pm), strict=True)
        if marker in row.event.casefold()
    ]


def marker_time(pm: Postmortem, marker: str) -> datetime | None:
    """The time of the one row carrying a marker; None when it is missing, repeated or invalid."""
    rows = tagged(pm, marker)
    return rows[0][1] if len(rows) == 1 else None


def minutes_between(start: datetime, end: datetime) -> int:
    """Whole minutes from start to end."""
    return int((end - start).total_seconds() // 60)


def hhmm(moment: datetime) -> str:
    """A moment as `HH:MM`, for messages."""
    return moment.strftime("%H:%M")


def stamp(moment: datetime) -> str:
    """A moment as `YYYY-MM-DDTHH:MMZ`, for messages."""
    return moment.strftime("%Y-%m-%dT%H:%MZ")
