"""Unit and group statistics are aggregated in the database: the same figures as counting
every lesson × pupil (the reference below), with a query count that does not grow with the
number of pupils or with the date in the term."""

from collections import defaultdict
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from absence import cache, stats
from absence.models import LessonAttendance
from roster.models import Child, Group, Placement, Term, Unit
from school import selectors as school
from school.models import Lesson, Subject
from tests.test_query_budgets import SESSION

pytestmark = pytest.mark.django_db


def _reference(groups, term, end):
    """The old algorithm: every held lesson occurrence × every pupil, in Python."""
    group_ids = {g.pk for g in groups}
    placements = [
        p
        for p in Placement.objects.filter(group_id__in=group_ids, start_date__lte=end)
        if p.end_date is None or p.end_date >= term.start_date
    ]
    lessons = school.lessons_for_groups(group_ids=group_ids)
    closed = school.closed_days_for(unit_ids={g.unit_id for g in groups}, start=term.start_date, end=end)
    scheduled = defaultdict(int)
    for occ in school.occurrences(lessons=lessons, start=term.start_date, end=end, closed=closed):
        if not occ.held:
            continue
        for child_id in {p.child_id for p in placements}:
            if any(
                p.child_id == child_id
                and p.group_id == occ.lesson.group_id
                and p.start_date <= occ.day
                and (p.end_date is None or p.end_date >= occ.day)
                for p in placements
            ):
                scheduled[child_id] += occ.lesson.minutes
    lost = defaultdict(lambda: [0, 0])
    for a in LessonAttendance.objects.filter(lesson__group_id__in=group_ids, date__range=(term.start_date, end)):
        if a.status == "narvarande":
            continue
        minutes = a.lesson.minutes if a.status == "franvarande" else (a.late_minutes or 0)
        lost[a.child_id][0 if a.valid else 1] += minutes
    return scheduled, lost


def _school(pupils: int, term: Term) -> tuple[Unit, list[Group]]:
    unit = Unit.objects.create(name=f"Statskolan {pupils}", kind=Unit.Kind.GRUNDSKOLA, code=f"STAT-{pupils}")
    groups = Group.objects.bulk_create(
        Group(unit=unit, name=f"{i}S", kind=Group.Kind.KLASS, grade=str(i)) for i in range(1, 5)
    )
    subject = Subject.objects.create(name=f"Ämne {pupils}")
    Lesson.objects.bulk_create(
        Lesson(group=g, subject=subject, weekday=wd, start_time=f"{8 + h}:00", end_time=f"{8 + h}:45")
        for g in groups
        for wd in range(5)
        for h in range(3)
    )
    kids = Child.objects.bulk_create(
        Child(
            given_name=f"Elev{i}",
            family_name="Stat",
            personnummer=f"2015{pupils:04d}{i:04d}",
            date_of_birth=term.start_date.replace(year=2015),
        )
        for i in range(pupils)
    )
    Placement.objects.bulk_create(
        Placement(
            child=k,
            unit=unit,
            group=groups[i % 4],
            # A few pupils move in during the term.
            start_date=term.start_date + timedelta(days=(i % 7) * 3),
        )
        for i, k in enumerate(kids)
    )
    lessons = list(Lesson.objects.filter(group__in=groups))
    rows = []
    for i, k in enumerate(kids[: pupils // 2]):
        lesson = next(le for le in lessons if le.group_id == groups[i % 4].pk)
        day = term.start_date + timedelta(days=28 + (lesson.weekday - term.start_date.weekday()) % 7)
        status = "franvarande" if i % 3 else "sen"
        rows.append(
            LessonAttendance(
                lesson=lesson, date=day, child=k, status=status, valid=bool(i % 2), late_minutes=5 if i % 3 == 0 else 0
            )
        )
    LessonAttendance.objects.bulk_create(rows)
    return unit, groups


def test_database_aggregation_matches_counting_every_lesson(demo):
    term = stats.current_term()
    unit, groups = _school(24, term)
    end = term.start_date + timedelta(days=60)
    result = stats.stats_for_groups(groups=groups, term=term, today=end)
    scheduled, lost = _reference(groups, term, end)
    assert {p.child_id: p.scheduled for p in result.pupils} == dict(scheduled)
    assert {p.child_id: [p.valid, p.invalid] for p in result.pupils if p.absent} == {
        k: v for k, v in lost.items() if sum(v)
    }
    assert sum(w.scheduled for w in result.weeks) == sum(scheduled.values())
    assert sum(w.absent for w in result.weeks) == sum(sum(v) for v in lost.values())


@pytest.mark.parametrize("pupils", [40, 400])
def test_unit_statistics_queries_do_not_grow_with_pupils_or_the_date(pupils, demo, personas, client_for):
    """Five queries for the statistics, whatever the size and the date in the term; the page
    adds the session, user, viewer, access and term queries around them."""
    term = stats.current_term()
    unit, groups = _school(pupils, term)
    counts = []
    for day in (term.start_date + timedelta(days=14), term.end_date - timedelta(days=3)):
        with time_machine.travel(day, tick=False):
            with CaptureQueriesContext(connection) as ctx:
                result = stats.stats_for_groups(groups=groups, term=term)
            counts.append(len(ctx))
            assert len(result.pupils) <= pupils
    assert len(result.pupils) == pupils
    assert counts == [5, 5]


# The unit statistics page, warm viewer and user (database sessions): the session, the unit
# (access; the principal check reads the cached viewer), the terms list (which gives the
# current term too). Cold, the unit's teaching groups and the five statistics queries
# (placements, lessons, closed days, the grouped sums per pupil and group, and per week)
# follow; warm, the statistics come from the cache (one round trip, no query).
UNIT_STATS_PAGE_WARM = SESSION + 2
UNIT_STATS_PAGE_COLD = UNIT_STATS_PAGE_WARM + 6


def test_unit_statistics_page_budget_at_two_sizes(demo, personas, client_for):
    from roster.models import StaffDuty

    term = stats.current_term()
    principal = client_for("principal")
    counts = {}
    for pupils in (40, 400):
        unit, _groups = _school(pupils, term)
        StaffDuty.objects.create(user=personas["principal"], unit=unit, role="rektor", start_date=term.start_date)
        url = reverse("absence:unit-stats", args=[unit.pk])
        principal.get(url)  # the viewer is cached
        cache.attendance_changed(unit_ids=[unit.pk])  # the statistics are not
        for warmth in ("cold", "warm"):
            with CaptureQueriesContext(connection) as ctx:
                response = principal.get(url)
            assert response.status_code == 200
            counts[(pupils, warmth)] = len(ctx)
        # One page of the pupils with the most absence (30 a page), the same warm as cold.
        page = response.content.decode()
        assert f"Sida 1 av {-(-pupils // 30)}" in page
        assert page.count('<th scope="row">Elev') == 30
    assert counts[(40, "cold")] == counts[(400, "cold")] == UNIT_STATS_PAGE_COLD
    assert counts[(40, "warm")] == counts[(400, "warm")] == UNIT_STATS_PAGE_WARM
