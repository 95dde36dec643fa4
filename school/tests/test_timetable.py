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


def test_the_cached_timetable_follows_every_change(client_for, demo, personas):
    """The week view is served from the person's page cache (hub.cache.viewer_page); each
    change to what it shows is on the next load: a weekly plan published through the
    service, one that a teacher scheduled for later (by the clock), a closed day, and a
    lesson edited in the admin."""
    import re

    from django.contrib.admin.models import CHANGE, LogEntry
    from django.utils import timezone

    from schedules.services import closed_day_create
    from school import services
    from school.teaching_access import GroupRole

    school_day = timezone.localdate()  # the suite's Monday (conftest.SUITE_NOW)
    anna = client_for("guardian")
    url = reverse("school:timetable")

    def page():
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", anna.get(url).content.decode())

    assert page() == page()
    role = GroupRole(group=demo["3b"], may_write=True, is_staff_reader=True)
    tomorrow = school_day + timedelta(days=1)
    services.weekly_plan_save(
        role=role,
        user=personas["teacher"],
        monday=school_day,
        letter="Hej",
        items=[(school_day, "bring", "Ta med gympapåse")],
        publish_at=timezone.now() - timedelta(minutes=1),
    )
    assert "Ta med gympapåse" in page()

    later = timezone.now().replace(microsecond=0) + timedelta(hours=2)
    services.weekly_plan_save(
        role=role,
        user=personas["teacher"],
        monday=school_day,
        letter="Hej igen",
        items=[(tomorrow, "test", "Prov i bråk")],
        publish_at=later,
    )
    assert "Prov i bråk" not in page()
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        assert "Prov i bråk" in page(), "the cached page ended when the plan was published"

    assert "Studiedag" not in page()
    closed_day_create(unit=demo["norrskolan"], actor=personas["principal"], day=tomorrow, reason="studiedag")
    assert "Studiedag" in page()

    lesson = Lesson.objects.filter(group=demo["3b"]).first()
    Lesson.objects.filter(pk=lesson.pk).update(room="Rum Ö-17")
    LogEntry.objects.log_actions(user_id=personas["admin"].pk, queryset=[lesson], action_flag=CHANGE)
    assert "Rum Ö-17" in page()
