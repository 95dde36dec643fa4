"""Shared helpers of the teaching tests (plannings, weekly plans, assignments, eTest)."""

from datetime import datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day, hour, minute=0, second=0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=STOCKHOLM)
