"""The timetable: recurring lessons, not held on holidays and the unit's closed days."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from roster.dates import swedish_holidays
from roster.models import ClosedPeriod
from school import selectors
from school.models import Lesson

pytestmark = pytest.mark.django_db


def test_lessons_not_held_on_holidays_and_closed_days(demo):
    start = demo["elias"].placements.first().start_date
    holidays = swedish_holidays(start, start.replace(year=start.year + 1))
    ascension = next(d for d, name in holidays.items() if name.startswith("Kristi himmel"))
    lessons = selectors.lessons_for_groups(group_ids={demo["3b"].pk})
    wednesday = ascension - timedelta(days=1)
    ClosedPeriod.objects.create(kind="studiedag", unit=demo["norrskolan"], start_date=wednesday, end_date=wednesday)
    week = selectors.week_build(lessons=lessons, monday=ascension)
    by_day = {d.day: d for d in week.days}
    assert by_day[ascension].holiday
    assert by_day[ascension].lessons and not any(o.held for o in by_day[ascension].lessons)
    assert not any(o.held for o in by_day[wednesday].lessons)
    assert by_day[wednesday].lessons[0].not_held_reason == "Studiedag"
    tuesday = ascension - timedelta(days=2)
    assert all(o.held for o in by_day[tuesday].lessons)


def test_lesson_with_a_term_runs_only_inside_it(demo):
    from roster.models import Term

    term = Term.objects.order_by("start_date").first()
    lesson = Lesson.objects.filter(group=demo["3b"]).first()
    lesson.term = term
    assert selectors.lesson_runs_on(
        lesson, term.start_date + timedelta(days=(lesson.weekday - term.start_date.weekday()) % 7)
    )
    after = term.end_date + timedelta(days=(lesson.weekday - term.end_date.weekday()) % 7 or 7)
    assert not selectors.lesson_runs_on(lesson, after)


def test_week_views(client_for, demo):
    anna = client_for("guardian").get(reverse("school:timetable"))
    assert [who.pk for who, _week in anna.context["weeks"]] == [demo["elias"].pk]  # Alva is in preschool
    teacher = client_for("teacher").get(reverse("school:timetable") + "?vecka=2026-01-07")
    week = teacher.context["weeks"][0][1]
    assert week.monday == date(2026, 1, 5)
    assert sum(len(d.lessons) for d in week.days) > 0
    student = client_for("student").get(reverse("school:child-timetable", args=[demo["elias"].pk]))
    assert student.status_code == 200
    assert (
        client_for("other_guardian").get(reverse("school:child-timetable", args=[demo["elias"].pk])).status_code == 404
    )


def test_hub_box_today_and_tomorrow(client_for, demo):
    start = demo["elias"].placements.first().start_date
    monday = start + timedelta(days=(7 - start.weekday()) % 7 + 14)
    with time_machine.travel(datetime.combine(monday, time(7), tzinfo=ZoneInfo("Europe/Stockholm")), tick=False):
        response = client_for("guardian").get(reverse("hub:dashboard"))
        page = response.content.decode()
    assert "Schema" in page and "Idag" in page and "Imorgon" in page
    assert "Svenska" in page
