"""School and care days for absence, asked of the one school-day module (`roster.calendar`).

This module only adds what absence needs on top: the days a child is expected somewhere,
from the child's placements (a school day at their school or a care day at their
förskola/fritidshem)."""

from __future__ import annotations

from datetime import date, timedelta

from roster.calendar import SchoolCalendar, calendar_for, is_school_day, next_school_day, previous_school_day
from roster.models import Placement, Unit

__all__ = [
    "child_open_days",
    "is_school_day",
    "next_school_day",
    "placements_calendar",
    "previous_school_day",
    "school_days",
]


def placements_calendar(placements: list[Placement], start: date, end: date) -> SchoolCalendar:
    """Two queries: the closed periods of the placements' units, and the terms."""
    return calendar_for(start=start, end=end, unit_ids={p.unit_id for p in placements})


def _covering(placements: list[Placement], day: date) -> list[Placement]:
    return [p for p in placements if p.start_date <= day and (p.end_date is None or p.end_date >= day)]


def child_open_days(
    placements: list[Placement], start: date, end: date, *, calendar: SchoolCalendar | None = None
) -> list[date]:
    """The days in [start, end] when one of the child's placements (their `unit` loaded) is
    open: a school day at the school or a care day at the förskola/fritidshem."""
    calendar = calendar or placements_calendar(placements, start, end)
    days = []
    day = start
    while day <= end:
        if any(calendar.is_open(day, unit=p.unit) for p in _covering(placements, day)):
            days.append(day)
        day += timedelta(days=1)
    return days


def school_days(
    placements: list[Placement], start: date, end: date, *, calendar: SchoolCalendar | None = None
) -> list[date]:
    """The school days in [start, end] at the child's school placements (leave counts these)."""
    calendar = calendar or placements_calendar(placements, start, end)
    days = []
    day = start
    while day <= end:
        schools = [p.unit for p in _covering(placements, day) if p.unit.kind == Unit.Kind.GRUNDSKOLA]
        if any(calendar.is_open(day, unit=u) for u in schools):
            days.append(day)
        day += timedelta(days=1)
    return days
