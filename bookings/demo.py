"""Demo development talks: 3B's mentor publishes a day of slots next week; Bo books one for
Bella and the mentor moves it (so Bo has a change notification). Anna still has slots to
book for Elias (the Hub box shows them)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import User
from bookings import services
from bookings.models import Slot
from notifications.demo import outbox_mark, quiet
from roster.dates import is_holiday
from roster.models import Child, Group
from roster.policy import viewer_build


def _weekday_after(day: date, days: int) -> date:
    day += timedelta(days=days)
    while day.weekday() >= 5 or is_holiday(day):
        day += timedelta(days=1)
    return day


def seed(*, today: date, rng: random.Random) -> None:
    mark = outbox_mark()
    try:
        _seed(today=today)
    finally:
        quiet(since_outbox_pk=mark)


def _seed(*, today: date) -> None:
    mentor = User.objects.filter(email="larare.3b@example.se").first()
    bo = User.objects.filter(email="bo.berg@example.se").first()
    group = Group.objects.filter(name="3B", unit__code="DEMO-NORRSKOLAN").first()
    bella = Child.objects.filter(given_name="Bella", family_name="Berg").first()
    if not (mentor and group):
        return
    day = _weekday_after(today, 8)
    deadline = timezone.make_aware(datetime.combine(_weekday_after(today, 5), time(20, 0)))
    talk_round = services.round_publish(
        viewer=viewer_build(mentor, on=today),
        group_id=group.pk,
        title="Utvecklingssamtal HT",
        day=day,
        first_start=time(13, 0),
        last_end=time(17, 0),
        minutes=20,
        place="Klassrum 3B",
        deadline=deadline,
    )
    if bo and bella:
        slots = list(Slot.objects.filter(round=talk_round).order_by("starts_at"))
        services.booking_book(viewer=viewer_build(bo, on=today), slot_id=slots[2].pk, child_id=bella.pk)
        services.slot_move(
            viewer=viewer_build(mentor, on=today),
            slot_id=slots[2].pk,
            starts_at=timezone.make_aware(datetime.combine(_weekday_after(day, 2), time(15, 0))),
        )
