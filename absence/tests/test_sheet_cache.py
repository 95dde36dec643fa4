"""The lesson's attendance sheet is served from the cache: every change that affects it shows
on the next load (a registration or a report, through the service or in the admin, a
placement), and the form token in it is always the request's own."""

from datetime import time, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from absence import services
from absence.models import AbsenceReport, LessonAttendance
from roster.models import Child, Placement
from school.models import Lesson, Subject

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet(school_day, personas, demo):
    lesson = Lesson.objects.create(
        group=demo["3b"],
        subject=Subject.objects.get_or_create(name="Matematik")[0],
        teacher=personas["teacher"],
        weekday=school_day.weekday(),
        start_time=time(8, 15),
        end_time=time(9, 0),
    )
    return lesson, reverse("absence:lesson-attendance", args=[lesson.pk, school_day.isoformat()])


def _row(response, child) -> str:
    page = response.content.decode()
    return page.split(f'id="elev-{child.pk}"')[1].split("</li>")[0] if f'id="elev-{child.pk}"' in page else ""


def _checked(row: str) -> str:
    return row.split(" required checked>")[0].rsplit('value="', 1)[1].split('"')[0]


def _token(response) -> str:
    return (
        response.content.decode()
        .split('<form method="post" novalidate class="attendance">')[1]
        .split('name="csrfmiddlewaretoken" value="')[1][:64]
    )


def test_cached_sheet_carries_each_requests_own_token_and_it_saves(sheet, school_day, personas, demo):
    lesson, url = sheet
    teacher = Client(enforce_csrf_checks=True)
    teacher.force_login(personas["teacher"])
    first = teacher.get(url)
    # Written behind the services' back: the second load is the cached page.
    AbsenceReport.objects.create(child=demo["bella"], start_date=school_day, end_date=school_day, reason="sjuk")
    second = teacher.get(url)
    assert "Anmäld" not in _row(second, demo["bella"])
    other = Client(enforce_csrf_checks=True)
    other.force_login(personas["principal"])
    assert _token(other.get(url)) != _token(second)
    # The token in the cached page is accepted: the whole group saved as present.
    pupils = {int(k[1:]) for k in first.context["form"].fields if k.startswith("s")}
    data = {f"s{cid}": "narvarande" for cid in pupils}
    data["csrfmiddlewaretoken"] = _token(second)
    assert teacher.post(url, data).status_code == 302
    assert LessonAttendance.objects.filter(lesson=lesson, date=school_day).count() == len(pupils)


def test_a_registration_through_the_service_shows_at_once(sheet, school_day, client_for, personas, demo):
    lesson, url = sheet
    teacher = client_for("teacher")
    assert _checked(_row(teacher.get(url), demo["bella"])) == "narvarande"
    pupils = {r.child.pk for r in services_sheet(lesson, school_day)}
    marks = [
        services.Mark(child_id=cid, status="franvarande" if cid == demo["bella"].pk else "narvarande") for cid in pupils
    ]
    services.lesson_attendance_save(
        lesson=lesson, day=school_day, registered_by=personas["teacher"], marks=marks, pupil_ids=pupils
    )
    response = teacher.get(url)
    assert _checked(_row(response, demo["bella"])) == "franvarande"
    assert "Närvaron är registrerad" in response.content.decode()


def services_sheet(lesson, day):
    from absence import selectors

    return selectors.attendance_sheet(lesson=lesson, day=day).rows


def test_a_registration_changed_in_the_admin_shows_at_once(sheet, school_day, client_for, personas, demo):
    lesson, url = sheet
    row = LessonAttendance.objects.create(
        lesson=lesson, date=school_day, child=demo["bella"], status="narvarande", registered_by=personas["teacher"]
    )
    teacher = client_for("teacher")
    assert _checked(_row(teacher.get(url), demo["bella"])) == "narvarande"
    response = client_for("admin").post(
        reverse("admin:absence_lessonattendance_change", args=[row.pk]),
        {
            "child": demo["bella"].pk,
            "lesson": lesson.pk,
            "date": school_day.isoformat(),
            "status": "sen",
            "late_minutes": 5,
            "registered_by": personas["teacher"].pk,
        },
    )
    assert response.status_code == 302
    assert _checked(_row(teacher.get(url), demo["bella"])) == "sen"


def test_a_report_through_the_service_shows_at_once(sheet, school_day, client_for, personas, demo):
    lesson, url = sheet
    teacher = client_for("teacher")
    assert "Anmäld" not in _row(teacher.get(url), demo["elias"])
    services.absence_report_create(
        children=[demo["elias"]],
        reported_by=personas["guardian"],
        start_date=school_day,
        end_date=school_day,
        reason="sjuk",
    )
    row = _row(teacher.get(url), demo["elias"])
    assert "Anmäld: Sjuk" in row and _checked(row) == "franvarande"


def test_a_report_made_in_the_admin_shows_at_once(sheet, school_day, client_for, personas, demo):
    lesson, url = sheet
    teacher = client_for("teacher")
    assert "Anmäld" not in _row(teacher.get(url), demo["elias"])
    response = client_for("admin").post(
        reverse("admin:absence_absencereport_add"),
        {
            "child": demo["elias"].pk,
            "start_date": school_day.isoformat(),
            "end_date": school_day.isoformat(),
            "reason": "sjuk",
            "comment": "",
            "reported_by": personas["guardian"].pk,
        },
    )
    assert response.status_code == 302
    assert "Anmäld: Sjuk" in _row(teacher.get(url), demo["elias"])


def test_a_placement_shows_at_once(sheet, school_day, client_for, demo):
    lesson, url = sheet
    teacher = client_for("teacher")
    newcomer = Child.objects.create(
        given_name="Nyan", family_name="Ankomling", personnummer="201505052383", date_of_birth=school_day
    )
    assert _row(teacher.get(url), newcomer) == ""
    Placement.objects.create(
        child=newcomer, unit=demo["norrskolan"], group=demo["3b"], start_date=school_day - timedelta(days=1)
    )
    assert _checked(_row(teacher.get(url), newcomer)) == "narvarande"
