"""Demo absence: a few guardian reports for today and the coming days, and lesson
registrations for 3B since the term started (so the statistics have something to show).
Named demo children (Alva, Elias, Bella, Dennis) are left without reports. Bulk inserts only."""

from __future__ import annotations

import random
from datetime import date, timedelta

from absence.models import AbsenceReport, LessonAttendance, Reason
from roster.calendar import calendar_for
from roster.models import Child, Group, Guardianship, Placement, Term, active_q
from school.models import Lesson

NAMED = {"Alva", "Elias", "Bella", "Dennis", "Cornelia", "Casper", "Cleo"}


def seed(*, today: date, rng: random.Random) -> None:
    placed = list(
        Placement.objects.filter(active_q(on=today), group__kind__in=[Group.Kind.KLASS, Group.Kind.AVDELNING])
        .exclude(child__given_name__in=NAMED, child__family_name__in=["Andersson", "Berg", "Dahl", "Carlsson"])
        .values_list("child_id", flat=True)[:400]
    )
    guardian_of = dict(Guardianship.objects.filter(child_id__in=placed).values_list("child_id", "guardian_id"))
    calendar = calendar_for(start=today - timedelta(days=80), end=today + timedelta(days=120), unit_ids=[])
    ahead = calendar.open_days(today, today + timedelta(days=110))
    if not ahead:
        return  # no school day within reach (sommarlov before next year's terms exist)

    def is_school_day(day: date) -> bool:
        return calendar.start <= day <= calendar.end and calendar.is_open(day)

    day = ahead[0]
    reports = []
    for index, child_id in enumerate(rng.sample(placed, min(len(placed), 24))):
        start = day if index < 16 else day + timedelta(days=1 + index % 3)
        while not is_school_day(start):
            start += timedelta(days=1)
        reason = Reason.SJUK if index % 4 else Reason.ANNAT
        reports.append(
            AbsenceReport(
                child_id=child_id,
                reported_by_id=guardian_of.get(child_id),
                start_date=start,
                end_date=start,
                reason=reason,
                comment="Tandläkare" if reason == Reason.ANNAT else "",
            )
        )
    AbsenceReport.objects.bulk_create(reports)
    # As the service does: the reported days show absent in the care schedule (the check-in
    # tablet says "Sjukanmäld", not "Inte kommit").
    from absence.integrations import care_schedule_sync
    from absence.services import care_note

    children = {c.pk: c for c in Child.objects.filter(pk__in=[r.child_id for r in reports])}
    for report in reports:
        care_schedule_sync(
            child=children[report.child_id],
            start_date=report.start_date,
            end_date=report.end_date,
            absent=True,
            note=care_note(report.reason),
        )
    _attendance_for_3b(today=today, rng=rng, is_school_day=is_school_day)


def _attendance_for_3b(*, today: date, rng: random.Random, is_school_day) -> None:
    group = Group.objects.filter(name="3B", unit__code="DEMO-NORRSKOLAN").first()
    term = Term.objects.filter(start_date__lte=today, end_date__gte=today).first()
    if group is None or term is None:
        return
    lessons = list(Lesson.objects.filter(group=group))
    pupils = list(
        Child.objects.filter(placements__group=group).exclude(given_name__in=NAMED).values_list("pk", flat=True)
    )
    frequent = set(rng.sample(pupils, min(3, len(pupils))))
    rows = []
    day = max(term.start_date, today - timedelta(days=70))
    while day < today:
        if is_school_day(day):
            for lesson in lessons:
                if lesson.weekday != day.weekday():
                    continue
                for child_id in pupils:
                    chance = 0.16 if child_id in frequent else 0.03
                    roll = rng.random()
                    if roll < chance:
                        status, valid, late = LessonAttendance.Status.ABSENT, rng.random() < 0.7, 0
                    elif roll < chance + 0.02:
                        status, valid, late = LessonAttendance.Status.LATE, False, rng.choice([5, 10, 15])
                    else:
                        status, valid, late = LessonAttendance.Status.PRESENT, False, 0
                    rows.append(
                        LessonAttendance(
                            lesson=lesson, date=day, child_id=child_id, status=status, valid=valid, late_minutes=late
                        )
                    )
        day += timedelta(days=1)
    LessonAttendance.objects.bulk_create(rows, batch_size=5000)
