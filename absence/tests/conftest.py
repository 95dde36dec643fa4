from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from roster.calendar import next_school_day

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: date, hour: int = 7, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=STOCKHOLM)


def lesson_day(after: date) -> date:
    """The first school day after `after` on which Norrskolan is open (no studiedag or lov)."""
    from roster.models import Unit

    return next_school_day(after, unit=Unit.objects.get(code="DEMO-NORRSKOLAN"))


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
