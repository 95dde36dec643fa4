from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from roster.dates import is_holiday

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def local(year, month, day, hour=0, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=STOCKHOLM)


def open_day(start: date) -> date:
    """The first weekday on or after `start` that is not a public holiday."""
    while start.weekday() >= 5 or is_holiday(start):
        start += timedelta(days=1)
    return start


def week_times(start="07:30", end="16:00"):
    return [[(time.fromisoformat(start), time.fromisoformat(end))] * 5]


@pytest.fixture
def frozen():
    """A fixed ordinary Monday, 10:00 in Stockholm: 2026-11-30."""
    with time_machine.travel(local(2026, 11, 30, 10, 0), tick=False) as traveller:
        yield traveller
