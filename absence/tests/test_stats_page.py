"""The statistics pages: the principal's unit page (a summary per class and group, the pupils
with the most absence a page at a time, the whole list as CSV), who may open which page,
and the cached figures following every change that affects them."""

from datetime import time, timedelta

import pytest
from django.urls import reverse

from absence import services, stats
from absence.models import LessonAttendance
from absence.tests.test_stats_scale import _school
from conftest import ROLES
from roster.models import Placement, StaffDuty
from school.models import Lesson, Subject

pytestmark = pytest.mark.django_db


def _principal_of(unit, personas, term):
    StaffDuty.objects.create(user=personas["principal"], unit=unit, role="rektor", start_date=term.start_date)


def test_unit_page_summarises_groups_and_pages_the_pupils(demo, personas, client_for):
    term = stats.current_term()
    unit, groups = _school(70, term)
    _principal_of(unit, personas, term)
    principal = client_for("principal")
    url = reverse("absence:unit-stats", args=[unit.pk])
    response = principal.get(url, {"termin": term.pk})
    page = response.content.decode()
    result = response.context["stats"]
    # A row per class, linked to its own page, with its pupil count.
    assert [g.name for g in result.groups] == ["1S", "2S", "3S", "4S"]
    assert [g.pupils for g in result.groups] == [18, 18, 17, 17]
    for group in groups:
        assert f'href="{reverse("absence:group-stats", args=[group.pk])}?termin={term.pk}"' in page
    # The pupils with the most absence first, 30 to a page, in Swedish.
    first = response.context["page"]
    percents = [p.percent for p in result.pupils]
    assert percents == sorted(percents, reverse=True) and percents[0] > 0
    assert [p.child_id for p in first.object_list] == [p.child_id for p in result.pupils[:30]]
    assert "Elever med mest frånvaro" in page and "Sida 1 av 3" in page and "Nästa" in page
    assert f"?termin={term.pk}&amp;sida=2" in page  # the chosen term is kept
    second = principal.get(url, {"termin": term.pk, "sida": 2})
    assert [p.child_id for p in second.context["page"].object_list] == [p.child_id for p in result.pupils[30:60]]
    assert "Föregående" in second.content.decode()
    # A page past the end shows the last one, a bad number the first: never an error.
    last = principal.get(url, {"sida": 999})
    assert last.status_code == 200 and last.context["page"].number == 3
    assert len(last.context["page"].object_list) == 10
    for bad in ("abc", "-1", "0", "1e9", ""):
        response = principal.get(url, {"sida": bad})
        assert response.status_code == 200 and response.context["page"].number in (1, 3), bad


def test_group_summary_adds_up_to_the_pupils(demo, personas):
    term = stats.current_term()
    unit, groups = _school(24, term)
    end = term.start_date + timedelta(days=60)
    result = stats.stats_for_groups(groups=groups, term=term, today=end)
    for summary in result.groups:
        mine = [p for p in result.pupils if p.group_id == summary.group_id]
        assert summary.pupils == len(mine)
        assert summary.scheduled == sum(p.scheduled for p in mine)
        assert (summary.valid, summary.invalid) == (sum(p.valid for p in mine), sum(p.invalid for p in mine))
        assert summary.over == sum(p.over_threshold for p in mine)
    assert sum(s.scheduled for s in result.groups) == result.scheduled


def test_unit_csv_has_every_pupil(demo, personas, client_for):
    term = stats.current_term()
    unit, _groups = _school(70, term)
    _principal_of(unit, personas, term)
    response = client_for("principal").get(reverse("absence:unit-stats-csv", args=[unit.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Elev;Grupp") and len(lines) == 1 + 70


# The unit page with a page number, and its CSV, answer each role as the unit page does:
# the principal and the admin; a teacher at the unit may not (403); others do not see it (404).
UNIT_PAGE = dict(zip(ROLES, ["login", 404, 404, 404, 403, 404, 200, 200], strict=True))


@pytest.mark.parametrize("query", ["?sida=2", "?sida=999", "?sida=x&termin=0"])
def test_unit_page_numbers_answer_each_role_as_the_page_does(query, demo, client_for):
    for name in ("absence:unit-stats", "absence:unit-stats-csv"):
        url = reverse(name, args=[demo["norrskolan"].pk]) + query
        for role in ROLES:
            response = client_for(role).get(url)
            if UNIT_PAGE[role] == "login":
                assert response.status_code == 302 and reverse("account_login") in response["Location"], (url, role)
            else:
                assert response.status_code == UNIT_PAGE[role], (url, role)


def test_group_page_with_a_page_number(demo, client_for):
    url = reverse("absence:group-stats", args=[demo["3b"].pk])
    assert client_for("teacher").get(url, {"sida": 5}).status_code == 200
    assert client_for("other_staff").get(url, {"sida": 5}).status_code == 404
    assert client_for("guardian").get(url, {"sida": 5}).status_code == 404


# --- The cached figures follow every change ---------------------------------------------------


def _figures(client, url):
    result = client.get(url).context["stats"]
    return {p.child_id: (p.scheduled, p.valid, p.invalid) for p in result.pupils}


def _lesson_today(demo, day, teacher):
    return Lesson.objects.create(
        group=demo["3b"],
        subject=Subject.objects.get_or_create(name="Matematik")[0],
        teacher=teacher,
        weekday=day.weekday(),
        start_time=time(8, 15),
        end_time=time(9, 0),
    )


def services_sheet(lesson, day):
    from absence import selectors

    return selectors.attendance_sheet(lesson=lesson, day=day)


@pytest.fixture
def stats_pages(demo, client_for):
    unit_url = reverse("absence:unit-stats", args=[demo["norrskolan"].pk])
    group_url = reverse("absence:group-stats", args=[demo["3b"].pk])
    return client_for("principal"), unit_url, group_url


def test_a_registration_through_the_service_shows_at_once(school_day, personas, demo, stats_pages):
    principal, unit_url, group_url = stats_pages
    lesson = _lesson_today(demo, school_day, personas["teacher"])
    before = _figures(principal, unit_url), _figures(principal, group_url)
    bella = demo["bella"].pk
    pupils = {r.child.pk for r in services_sheet(lesson, school_day).rows}
    marks = [
        services.Mark(child_id=cid, status="franvarande" if cid == bella else "narvarande", valid=False)
        for cid in pupils
    ]
    services.lesson_attendance_save(
        lesson=lesson, day=school_day, registered_by=personas["teacher"], marks=marks, pupil_ids=pupils
    )
    for url, old in zip((unit_url, group_url), before, strict=True):
        now = _figures(principal, url)
        assert now[bella][2] == old[bella][2] + 45, url


def test_a_registration_changed_in_the_admin_shows_at_once(school_day, personas, demo, client_for, stats_pages):
    principal, unit_url, group_url = stats_pages
    lesson = _lesson_today(demo, school_day, personas["teacher"])
    bella = demo["bella"]
    row = LessonAttendance.objects.create(
        lesson=lesson, date=school_day, child=bella, status="narvarande", registered_by=personas["teacher"]
    )
    stats.attendance_changed(unit_ids=[demo["norrskolan"].pk])
    before = _figures(principal, unit_url)[bella.pk]
    admin = client_for("admin")
    change = reverse("admin:absence_lessonattendance_change", args=[row.pk])
    form = admin.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        child=bella.pk,
        lesson=lesson.pk,
        date=school_day.isoformat(),
        status="franvarande",
        late_minutes=0,
        valid="on",
        registered_by=personas["teacher"].pk,
    )
    response = admin.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert _figures(principal, unit_url)[bella.pk][1] == before[1] + 45


def test_a_new_placement_shows_at_once(school_day, demo, stats_pages):
    principal, unit_url, group_url = stats_pages
    before = principal.get(unit_url).context["stats"]
    count = {g.name: g.pupils for g in before.groups}["3B"]
    moved = Placement.objects.filter(unit=demo["norrskolan"]).exclude(group=demo["3b"]).exclude(group=None).first()
    Placement.objects.create(child=moved.child, unit=demo["norrskolan"], group=demo["3b"], start_date=school_day)
    after = principal.get(unit_url).context["stats"]
    assert {g.name: g.pupils for g in after.groups}["3B"] == count + 1
    assert len(principal.get(group_url).context["stats"].pupils) == count + 1


def test_a_closed_day_shows_at_once(school_day, personas, demo, stats_pages):
    from schedules.services import closed_day_create

    principal, unit_url, group_url = stats_pages
    _lesson_today(demo, school_day, personas["teacher"])
    before = principal.get(group_url).context["stats"].scheduled
    closed_day_create(unit=demo["norrskolan"], actor=personas["principal"], day=school_day, reason="studiedag")
    after = principal.get(group_url).context["stats"].scheduled
    assert after < before
