"""The statistics pages: the principal's unit page (a summary per class and group, the pupils
with the most absence a page at a time, the whole list as CSV), who may open which page,
and the cached figures following every change that affects them."""

import re
from datetime import time, timedelta

import pytest
from django.urls import reverse

from absence import cache, services, stats
from absence.models import LessonAttendance
from absence.tests.test_stats_scale import _school
from conftest import ROLES
from roster.models import Placement, StaffDuty
from school.models import Lesson, Subject

pytestmark = pytest.mark.django_db


def _principal_of(unit, personas, term):
    StaffDuty.objects.create(user=personas["principal"], unit=unit, role="rektor", start_date=term.start_date)


def _rows(page: str) -> list[str]:
    """The pupils' names in the order the page lists them."""
    return re.findall(r'<th scope="row">([^<]+?)(?: <span|</th>)', page.split('id="pupils-heading"')[1])


def test_unit_page_summarises_groups_and_pages_the_pupils(demo, personas, client_for):
    term = stats.current_term()
    unit, groups = _school(70, term)
    _principal_of(unit, personas, term)
    principal = client_for("principal")
    url = reverse("absence:unit-stats", args=[unit.pk])
    page = principal.get(url, {"termin": term.pk}).content.decode()
    result = stats.stats_for_groups(groups=groups, term=term)
    # A row per class, linked to its own page (the chosen term kept), with its pupil count.
    summary = page.split('id="groups-heading"')[1].split("</table>")[0]
    for group, pupils in zip(groups, [18, 18, 17, 17], strict=True):
        link = f'<a href="{reverse("absence:group-stats", args=[group.pk])}?termin={term.pk}">{group.name}</a>'
        assert link in summary
        assert re.search(re.escape(link) + rf'</th>\s*<td class="num">{pupils}</td>', summary)
    # The pupils with the most absence first, 30 to a page, in Swedish.
    percents = [p.percent for p in result.pupils]
    assert percents == sorted(percents, reverse=True) and percents[0] > 0
    assert _rows(page) == [p.name for p in result.pupils[:30]]
    assert "Elever med mest frånvaro" in page and "Sida 1 av 3" in page and "Nästa" in page
    assert f'href="?termin={term.pk}&amp;sida=2" rel="next"' in page
    second = principal.get(url, {"termin": term.pk, "sida": 2}).content.decode()
    assert _rows(second) == [p.name for p in result.pupils[30:60]]
    assert "Föregående" in second and "Sida 2 av 3" in second
    # A page past the end shows the last one, a bad number the first: never an error.
    for asked, shown in [("999", 3), ("99999999999", 3), ("abc", 1), ("-1", 1), ("0", 1), ("1e9", 1), ("²", 1)]:
        response = principal.get(url, {"sida": asked})
        assert response.status_code == 200, asked
        assert f"Sida {shown} av 3" in response.content.decode(), asked
    assert _rows(principal.get(url, {"sida": 999}).content.decode()) == [p.name for p in result.pupils[60:]]


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
    """Per pupil's name (scheduled, valid, invalid minutes) from the CSV, and the page."""
    lines = client.get(url + "csv/").content.decode("utf-8-sig").splitlines()[1:]
    figures = {}
    for line in lines:
        name, _group, scheduled, valid, invalid, *_ = line.split(";")
        figures[name] = (int(scheduled), int(valid), int(invalid))
    return figures, client.get(url).content.decode()


def _content(page: str) -> str:
    """What the statistics show: the page's main part (the frame holds a CSRF token that
    differs on every request)."""
    return page.split('<main id="main"')[1].split("</main>")[0]


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


def _register(lesson, day, teacher):
    """The whole group absent (a class trip nobody reported): a change every figure shows."""
    from absence import selectors

    pupils = selectors.attendance_sheet(lesson=lesson, day=day).pupil_ids
    marks = [services.Mark(child_id=cid, status="franvarande", valid=False) for cid in pupils]
    services.lesson_attendance_save(lesson=lesson, day=day, registered_by=teacher, marks=marks, pupil_ids=pupils)


def test_a_registration_through_the_service_shows_at_once(school_day, personas, demo, stats_pages):
    principal, unit_url, group_url = stats_pages
    lesson = _lesson_today(demo, school_day, personas["teacher"])
    bella = demo["bella"].full_name
    before = [_figures(principal, url) for url in (unit_url, group_url)]
    _register(lesson, school_day, personas["teacher"])
    for url, (figures, page) in zip((unit_url, group_url), before, strict=True):
        now, now_page = _figures(principal, url)
        assert now[bella][2] == figures[bella][2] + 45, url
        assert _content(now_page) != _content(page), url


def test_a_registration_changed_in_the_admin_shows_at_once(school_day, personas, demo, client_for, stats_pages):
    principal, unit_url, group_url = stats_pages
    lesson = _lesson_today(demo, school_day, personas["teacher"])
    bella = demo["bella"]
    row = LessonAttendance.objects.create(
        lesson=lesson, date=school_day, child=bella, status="narvarande", registered_by=personas["teacher"]
    )
    cache.attendance_changed(unit_ids=[demo["norrskolan"].pk])
    figures, page = _figures(principal, unit_url)
    admin = client_for("admin")
    change = reverse("admin:absence_lessonattendance_change", args=[row.pk])
    data = {
        "child": bella.pk,
        "lesson": lesson.pk,
        "date": school_day.isoformat(),
        "status": "franvarande",
        "late_minutes": 0,
        "valid": "on",
        "registered_by": personas["teacher"].pk,
    }
    response = admin.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    now, now_page = _figures(principal, unit_url)
    assert now[bella.full_name][1] == figures[bella.full_name][1] + 45
    assert _content(now_page) != _content(page)


def _group_pupils(page: str, name: str) -> int:
    return int(re.search(rf">{name}</a></th>\s*<td class=\"num\">(\d+)</td>", page)[1])


def test_a_new_placement_shows_at_once(school_day, demo, stats_pages):
    principal, unit_url, group_url = stats_pages
    figures, page = _figures(principal, unit_url)
    count = _group_pupils(page, "3B")
    group_count = len(_figures(principal, group_url)[0])
    moved = Placement.objects.filter(unit=demo["norrskolan"]).exclude(group=demo["3b"]).exclude(group=None).first()
    Placement.objects.create(child=moved.child, unit=demo["norrskolan"], group=demo["3b"], start_date=school_day)
    assert _group_pupils(_figures(principal, unit_url)[1], "3B") == count + 1
    group_figures, group_page = _figures(principal, group_url)
    assert len(group_figures) == group_count + 1 and moved.child.full_name in group_page


def test_a_closed_day_shows_at_once(school_day, personas, demo, stats_pages):
    from schedules.services import closed_day_create

    principal, unit_url, group_url = stats_pages
    lesson = _lesson_today(demo, school_day, personas["teacher"])
    _register(lesson, school_day, personas["teacher"])
    figures, page = _figures(principal, group_url)
    closed_day_create(unit=demo["norrskolan"], actor=personas["principal"], day=school_day, reason="studiedag")
    now, now_page = _figures(principal, group_url)
    bella = demo["bella"].full_name
    assert now[bella][0] < figures[bella][0]
    assert _content(now_page) != _content(page)
