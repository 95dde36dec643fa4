from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from absence.calendar import is_school_day
from hub.models import Event

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: date, hour: int = 7, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def lesson_day(after: date) -> date:
    """The first school day after `after` on which Norrskolan is open (no studiedag or lov)."""
    closing = list(Event.objects.filter(event_type__in=["studiedag", "lov"]).values_list("start_date", "end_date"))
    day = after + timedelta(days=1)
    while not is_school_day(day) or any(s <= day <= e for s, e in closing):
        day += timedelta(days=1)
    return day


@pytest.fixture
def school_day(db):
    """A school day with lessons, a few days ahead; time frozen at 07:30 Stockholm that morning."""
    day = lesson_day(timezone.localdate() + timedelta(days=1))
    with time_machine.travel(at(day), tick=False):
        yield day


@pytest.fixture
def freeze():
    """freeze(datetime) → a started time_machine traveller, stopped after the test."""
    travellers = []

    def start(moment: datetime):
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)
        return traveller

    yield start
    for traveller in reversed(travellers):
        traveller.stop()
