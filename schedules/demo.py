"""Demo schedules: base schedules for most children in care, a few day changes and
comments. Bulk inserts only (one INSERT batch per model)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from roster.models import ClosedPeriod, Placement, Unit
from schedules.models import BaseSchedule, DayComment, DayEntry, UnitHours
from schedules.services import closed_day_title

PRESCHOOL_TIMES = [("07:00", "16:00"), ("07:30", "16:30"), ("08:00", "15:30"), ("06:30", "15:00"), ("08:30", "16:00")]
AFTERSCHOOL_TIMES = [("13:30", "16:30"), ("07:00", "08:00"), ("13:00", "17:00"), ("14:00", "16:00")]


def _week(rng: random.Random, choices) -> list:
    start, end = rng.choice(choices)
    week = [[start, end] for _day in range(5)]
    if rng.random() < 0.3:
        week[4] = [start, "15:00"] if end > "15:00" and start < "15:00" else None
    if rng.random() < 0.15:
        week[rng.randrange(5)] = None
    return week


def seed(*, today: date, rng: random.Random) -> None:
    placements = list(
        Placement.objects.filter(unit__kind__in=[Unit.Kind.FORSKOLA, Unit.Kind.FRITIDSHEM]).values_list(
            "child_id", "unit__kind", "start_date", "child__given_name", "unit__code"
        )
    )
    bases, entries, comments = [], [], []
    for child_id, kind, start, given_name, code in placements:
        # Elias has none: the Hub, the day list and the reminder show a missing schedule.
        if given_name == "Elias" or (given_name != "Alva" and rng.random() < 0.12):
            continue
        choices = PRESCHOOL_TIMES if kind == Unit.Kind.FORSKOLA else AFTERSCHOOL_TIMES
        weeks = [_week(rng, choices)]
        if rng.random() < 0.1:
            weeks.append(_week(rng, choices))  # växelvis boende: odd and even weeks
        bases.append(BaseSchedule(child_id=child_id, start_date=start, weeks=weeks))
        if code == "DEMO-SOLROSEN" and rng.random() < 0.2:
            day = today + timedelta(days=1)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            comments.append(
                DayComment(child_id=child_id, date=day, body=rng.choice(["Hämtas 15:00 av mormor.", "Har lite snuva."]))
            )
            entries.append(DayEntry(child_id=child_id, date=day, kind=DayEntry.Kind.LEDIG))
    BaseSchedule.objects.bulk_create(bases, batch_size=5000)
    DayEntry.objects.bulk_create(entries, batch_size=5000)
    if comments:
        from roster.models import Guardianship

        author = dict(
            Guardianship.objects.filter(child_id__in=[c.child_id for c in comments]).values_list(
                "child_id", "guardian_id"
            )
        )
        for comment in comments:
            comment.author_id = author[comment.child_id]
        DayComment.objects.bulk_create(comments, batch_size=5000)
    solrosen = Unit.objects.filter(code="DEMO-SOLROSEN").first()
    if solrosen:
        UnitHours.objects.bulk_create([UnitHours(unit=solrosen)])
        # A planning day about two weeks ahead, on a weekday; it shows in the Kalender too.
        closed = today + timedelta(days=12)
        while closed.weekday() >= 5:
            closed += timedelta(days=1)
        reason = ClosedPeriod.Kind.PLANERINGSDAG
        title = closed_day_title(unit=solrosen, reason=reason)
        ClosedPeriod.objects.bulk_create(
            [ClosedPeriod(unit=solrosen, kind=reason, title=title, start_date=closed, end_date=closed)]
        )
