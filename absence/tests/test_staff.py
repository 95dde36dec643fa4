"""Staff views: today's absence (constant queries for 20 and 200 pupils), statistics and CSV."""

from datetime import time, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from absence import stats
from absence.models import AbsenceReport, LessonAttendance
from roster.models import Child, Group, Placement, StaffDuty, Unit
from school.models import Lesson, Subject
from tests.test_query_budgets import _cold

pytestmark = pytest.mark.django_db


def _unit_with_absent(size, day):
    unit = Unit.objects.create(name=f"Skola {size}", kind=Unit.Kind.GRUNDSKOLA, code=f"T-{size}")
    groups = Group.objects.bulk_create(
        Group(unit=unit, name=f"{i}A", kind=Group.Kind.KLASS, grade=str(i)) for i in range(1, 5)
    )
    start = day - timedelta(days=60)
    kids = Child.objects.bulk_create(
        Child(
            given_name=f"Barn{i}",
            family_name="Test",
            personnummer=f"2016{size:04d}{i:04d}",
            date_of_birth=start.replace(year=2016),
        )
        for i in range(size)
    )
    Placement.objects.bulk_create(
        Placement(child=k, unit=unit, group=groups[i % 4], start_date=start) for i, k in enumerate(kids)
    )
    AbsenceReport.objects.bulk_create(
        AbsenceReport(
            child=k,
            start_date=day,
            end_date=day,
            reason="sjuk",
            start_time=time(8) if i % 2 else None,
            end_time=time(10) if i % 2 else None,
        )
        for i, k in enumerate(kids)
    )
    return unit


def _main(response) -> str:
    """The page's content (the frame around it holds a CSRF token that differs per request)."""
    return response.content.decode().split('<main id="main"')[1].split("</main>")[0]


# Today's absence for a principal (database sessions): 1 session, 2 user, 3 own children,
# 4 duties, 5 placements of children reported absent with their reports (one row per
# report), 6 the viewer's lessons, 7 closed days, 8 the units' groups for the filter.
@pytest.mark.parametrize("size", [20, 200])
def test_today_list_constant_queries(size, school_day, django_assert_num_queries):
    from django.conf import settings

    from accounts.models import User

    session = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
    unit = _unit_with_absent(size, school_day)
    principal = User.objects.create_user(f"rektor{size}@example.se", "x")
    StaffDuty.objects.create(user=principal, unit=unit, role="rektor", start_date=school_day - timedelta(days=60))
    client = Client()
    client.force_login(principal)
    _cold()  # measured with an empty cache (viewer and page)
    with django_assert_num_queries(session + 7):
        response = client.get(reverse("absence:today"))
    assert response.content.decode().count("<td>Barn") == size
    # Warm: the page comes from the person's page cache and the user's row from the cache;
    # the session only.
    with django_assert_num_queries(session):
        warm = client.get(reverse("absence:today"))
    assert _main(warm) == _main(response)
    group = Group.objects.filter(unit=unit).first()
    _cold()
    with django_assert_num_queries(session + 7):
        response = client.get(reverse("absence:today") + f"?grupp={group.pk}")
    assert response.content.decode().count("<td>Barn") == size // 4


def test_today_shows_reports_and_the_teachers_lessons(school_day, client_for, personas, demo):
    AbsenceReport.objects.create(child=demo["elias"], start_date=school_day, end_date=school_day, reason="sjuk")
    response = client_for("teacher").get(reverse("absence:today"))
    page = response.content.decode()
    assert "Elias Andersson" in page
    # The demo timetable gives larare.3b lessons in 3B every weekday: Elias is counted there.
    assert "Mina lektioner idag" in page and "1 anmäld frånvarande" in page
    hub = client_for("teacher").get(reverse("hub:dashboard")).content.decode()
    assert "Elias Andersson" in hub  # the staff Frånvaro box
    assert client_for("guardian").get(reverse("absence:today")).status_code == 403


def test_group_statistics_sorted_with_threshold(school_day, client_for, personas, demo, settings):
    settings.SKOLHUBB_ABSENCE_THRESHOLD_PERCENT = 10
    group = Group.objects.create(unit=demo["norrskolan"], name="Stat", kind=Group.Kind.UNDERVISNINGSGRUPP)
    term = stats.current_term(school_day)
    kids = list(Child.objects.filter(placements__group=demo["3b"]).order_by("pk")[:3])
    Placement.objects.bulk_create(
        Placement(child=k, unit=demo["norrskolan"], group=group, start_date=term.start_date) for k in kids
    )
    lesson = Lesson.objects.create(
        group=group,
        subject=Subject.objects.create(name="Statistik"),
        weekday=school_day.weekday(),
        start_time=time(8),
        end_time=time(9),
        teacher=personas["teacher"],
    )
    result = stats.stats_for_groups(groups=[group], term=term)
    held = result.pupils[0].scheduled // 60
    assert held >= 2
    first_day = min(w.monday for w in result.weeks) + timedelta(days=school_day.weekday())
    LessonAttendance.objects.bulk_create(
        [
            LessonAttendance(lesson=lesson, date=first_day, child=kids[0], status="franvarande", valid=False),
            LessonAttendance(lesson=lesson, date=first_day, child=kids[1], status="sen", late_minutes=3),
        ]
    )
    result = stats.stats_for_groups(groups=[group], term=term)
    first = result.pupils[0]
    assert first.child_id == kids[0].pk
    assert (first.invalid, first.valid) == (60, 0)
    assert first.percent == round(100 / held, 1)
    assert first.over_threshold == (100 / held > 10)
    assert result.pupils[1].child_id == kids[1].pk
    assert result.pupils[-1].percent == 0
    response = client_for("teacher").get(reverse("absence:group-stats", args=[group.pk]))
    page = response.content.decode()
    assert "<svg" in page and "<title" in page and "Visa som tabell" in page
    csv = client_for("teacher").get(reverse("absence:group-stats-csv", args=[group.pk]))
    lines = csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Elev;Grupp")
    assert lines[1].startswith(kids[0].full_name)
    assert client_for("other_guardian").get(reverse("absence:group-stats-csv", args=[group.pk])).status_code == 404


def test_demo_statistics_pages(client_for, demo):
    response = client_for("teacher").get(reverse("absence:group-stats", args=[demo["3b"].pk]))
    assert response.status_code == 200
    assert demo["elias"].full_name in response.content.decode()
    principal = client_for("principal").get(reverse("absence:unit-stats", args=[demo["norrskolan"].pk]))
    assert principal.status_code == 200


def test_chart_coordinates_are_not_localised(client_for, demo):
    """Swedish number formatting (4,5) would break the SVG attributes."""
    import re

    anna_lang = client_for("teacher")
    page = anna_lang.get(reverse("absence:group-stats", args=[demo["3b"].pk])).content.decode()
    svg = page[page.index('<svg class="chart"') :].split("</svg>")[0]
    assert re.findall(r'(?:x|y|width|height)="[0-9.]+"', svg)
    assert not re.findall(r'="-?[0-9]+,[0-9]+"', svg)


def test_guardian_sees_the_childs_term_share(school_day, client_for, demo):
    lesson = Lesson.objects.filter(group=demo["3b"]).first()
    term = stats.current_term(school_day)
    day = term.start_date + timedelta(days=(lesson.weekday - term.start_date.weekday()) % 7)
    LessonAttendance.objects.create(lesson=lesson, date=day, child=demo["elias"], status="franvarande", valid=True)
    response = client_for("guardian").get(reverse("absence:child-history", args=[demo["elias"].pk]))
    [own] = response.context["term_stats"]
    assert own.child_id == demo["elias"].pk and own.valid == lesson.minutes and own.invalid == 0
    assert "Frånvaro denna termin" in response.content.decode()
    alva = client_for("guardian").get(reverse("absence:child-history", args=[demo["alva"].pk]))
    assert alva.context["term_stats"] == []  # preschool: no lessons
