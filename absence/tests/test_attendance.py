"""Lesson attendance: pre-marked reports, who may register, one bulk save with constant
queries, and the same-day notice (at most one e-mail per child and day)."""

from datetime import time, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from absence import services
from absence.models import LessonAttendance, SameDayNotice
from accounts.models import User
from roster.models import Child, Group, GroupStaff, Placement, StaffDuty
from school.models import Lesson, Subject

pytestmark = pytest.mark.django_db


def _lesson(demo, day, teacher, start=time(8, 15), end=time(9, 0), group=None):
    return Lesson.objects.create(
        group=group or demo["3b"],
        subject=Subject.objects.get_or_create(name="Matematik")[0],
        teacher=teacher,
        weekday=day.weekday(),
        start_time=start,
        end_time=end,
        room="B2",
    )


def _url(lesson, day):
    return reverse("absence:lesson-attendance", args=[lesson.pk, day.isoformat()])


def _form_data(response, changes=None):
    changes = changes or {}
    """The form as the page renders it (initial values), with changes per child id."""
    form = response.context["form"]
    data = {}
    for row, status, _minutes, valid in form.rows:
        cid = row.child.pk
        data[status.html_name] = status.value()
        if valid.value():
            data[valid.html_name] = "on"
        if cid in changes:
            data.update({f"s{cid}": changes[cid][0]})
            data.pop(f"v{cid}", None)
            if len(changes[cid]) > 1 and changes[cid][1] == "valid":
                data[f"v{cid}"] = "on"
            if changes[cid][0] == "sen":
                data[f"m{cid}"] = str(changes[cid][1])
    return data


def test_reported_pupil_is_pre_marked_and_others_present(school_day, client_for, personas, demo):
    services.absence_report_create(
        children=[demo["elias"]],
        reported_by=personas["guardian"],
        start_date=school_day,
        end_date=school_day,
        reason="sjuk",
    )
    lesson = _lesson(demo, school_day, personas["teacher"])
    response = client_for("teacher").get(_url(lesson, school_day))
    rows = {row.child.pk: row for row, *_ in response.context["form"].rows}
    assert rows[demo["elias"].pk].initial_status == "franvarande"
    assert rows[demo["elias"].pk].initial_valid is True
    assert rows[demo["bella"].pk].initial_status == "narvarande"
    assert "Anmäld" in response.content.decode()


def test_part_day_report_outside_the_lesson_is_not_pre_marked(school_day, client_for, personas, demo):
    services.absence_report_create(
        children=[demo["elias"]],
        reported_by=personas["guardian"],
        start_date=school_day,
        end_date=school_day,
        start_time=time(12),
        end_time=time(14),
        reason="annat",
        comment="Tandläkare",
    )
    lesson = _lesson(demo, school_day, personas["teacher"])
    response = client_for("teacher").get(_url(lesson, school_day))
    rows = {row.child.pk: row for row, *_ in response.context["form"].rows}
    assert rows[demo["elias"].pk].initial_status == "narvarande"


def test_save_whole_group_and_same_day_notice_once(
    school_day, client_for, personas, demo, django_capture_on_commit_callbacks
):
    services.absence_report_create(
        children=[demo["elias"]],
        reported_by=personas["guardian"],
        start_date=school_day,
        end_date=school_day,
        reason="sjuk",
    )
    teacher = client_for("teacher")
    first = _lesson(demo, school_day, personas["teacher"])
    second = _lesson(demo, school_day, personas["teacher"], start=time(10, 20), end=time(11, 0))
    bella, dennis = demo["bella"].pk, demo["dennis"].pk
    data = _form_data(teacher.get(_url(first, school_day)), {bella: ("franvarande",), dennis: ("sen", 10)})
    with django_capture_on_commit_callbacks(execute=True):
        response = teacher.post(_url(first, school_day), data)
    assert response.status_code == 302
    saved = {a.child_id: a for a in LessonAttendance.objects.filter(lesson=first, date=school_day)}
    assert len(saved) == Placement.objects.filter(group=demo["3b"]).count()
    assert (saved[demo["elias"].pk].status, saved[demo["elias"].pk].valid) == ("franvarande", True)
    assert (saved[bella].status, saved[bella].valid) == ("franvarande", False)
    assert (saved[dennis].status, saved[dennis].late_minutes) == ("sen", 10)
    # Bo is told the same morning; Anna (reported) is not.
    assert [m.to for m in mail.outbox] == [["bo.berg@example.se"]]
    assert "Matematik" in mail.outbox[0].body
    # Bella misses the next lesson too: no second e-mail that day.
    data = _form_data(teacher.get(_url(second, school_day)), {bella: ("franvarande",)})
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        teacher.post(_url(second, school_day), data)
    assert len(callbacks) == 2  # the statistics cache bump, and the task ran for Bella …
    assert len(mail.outbox) == 1  # … and sent nothing more
    assert SameDayNotice.objects.filter(child_id=bella, date=school_day).count() == 1


def test_teacher_can_mark_absence_valid(school_day, client_for, personas, demo, django_capture_on_commit_callbacks):
    teacher = client_for("teacher")
    lesson = _lesson(demo, school_day, personas["teacher"])
    data = _form_data(teacher.get(_url(lesson, school_day)), {demo["bella"].pk: ("franvarande", "valid")})
    with django_capture_on_commit_callbacks(execute=True):
        teacher.post(_url(lesson, school_day), data)
    assert LessonAttendance.objects.get(lesson=lesson, child=demo["bella"]).valid is True
    assert mail.outbox == []


def test_bad_input_changes_nothing(school_day, client_for, personas, demo):
    teacher = client_for("teacher")
    lesson = _lesson(demo, school_day, personas["teacher"])
    data = _form_data(teacher.get(_url(lesson, school_day)))
    data[f"s{demo['bella'].pk}"] = "sen"  # late without minutes
    response = teacher.post(_url(lesson, school_day), data)
    assert response.status_code == 200
    assert "minuter" in response.content.decode()
    data[f"s{demo['bella'].pk}"] = "borta"  # not a choice
    assert teacher.post(_url(lesson, school_day), data).status_code == 200
    assert not LessonAttendance.objects.filter(lesson=lesson).exists()


def test_9999_late_minutes_is_one_clear_error(school_day, client_for, personas, demo):
    teacher = client_for("teacher")
    lesson = _lesson(demo, school_day, personas["teacher"])  # 45 minutes
    data = _form_data(teacher.get(_url(lesson, school_day)), {demo["bella"].pk: ("sen", 9999)})
    response = teacher.post(_url(lesson, school_day), data)
    assert response.status_code == 200
    errors = response.context["form"].errors[f"m{demo['bella'].pk}"]
    assert errors == ["Ange 1–45 minuter."]
    assert not LessonAttendance.objects.filter(lesson=lesson).exists()


def test_the_sheet_escapes_names_and_shows_what_was_posted(school_day, client_for, personas, demo):
    """The rows are written without widget templates (AttendanceForm.rows_html): names are
    escaped, a re-shown form keeps what the teacher chose, each error sits at its pupil."""
    bella = demo["bella"]
    Child.objects.filter(pk=bella.pk).update(given_name='<img src=x onerror="alert(1)">')
    teacher = client_for("teacher")
    lesson = _lesson(demo, school_day, personas["teacher"])
    response = teacher.get(_url(lesson, school_day))
    page = response.content.decode()
    assert "<img src=x" not in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    dennis = demo["dennis"].pk
    data = _form_data(response, {bella.pk: ("sen", 9999), dennis: ("franvarande", "valid")})
    page = teacher.post(_url(lesson, school_day), data).content.decode()
    row = page.split(f'id="elev-{bella.pk}"')[1].split("</li>")[0]
    assert 'value="sen" id="id_s' in row and 'required checked><label for="id_s' + str(bella.pk) + '_2"' in row
    assert 'value="9999"' in row and 'aria-invalid="true"' in row and "Ange 1–45 minuter." in row
    other = page.split(f'id="elev-{dennis}"')[1].split("</li>")[0]
    assert f'value="franvarande" id="id_s{dennis}_1" required checked>' in other
    assert f'id="id_v{dennis}" checked>' in other and "field__errors" not in other


def test_who_may_register(school_day, client_for, personas, demo):
    other_teacher = User.objects.create_user("annan.larare@example.se", "x")
    StaffDuty.objects.create(user=other_teacher, unit=demo["norrskolan"], start_date=school_day - timedelta(days=30))
    lesson = _lesson(demo, school_day, other_teacher)
    url = _url(lesson, school_day)
    data = {
        f"s{c}": "narvarande" for c in Placement.objects.filter(group=demo["3b"]).values_list("child_id", flat=True)
    }
    assert client_for("teacher").post(url, data).status_code == 302  # the mentor of 3B corrects
    assert client_for("principal").post(url, data).status_code == 302
    assert client_for("other_staff").post(url, data).status_code == 404
    assert client_for("other_guardian").post(url, data).status_code == 404
    assert client_for("guardian").put(url).status_code == 405
    # A teacher at the unit who does not teach 3B may read but not register.
    third = User.objects.create_user("tredje.larare@example.se", "x")
    StaffDuty.objects.create(user=third, unit=demo["norrskolan"], start_date=school_day - timedelta(days=30))
    from django.test import Client

    client = Client()
    client.force_login(third)
    assert client.get(url).status_code == 200
    LessonAttendance.objects.filter(lesson=lesson).delete()
    assert client.post(url, data).status_code == 403
    assert not LessonAttendance.objects.filter(lesson=lesson).exists()
    # The lesson's own teacher registers today, and late: last week's lesson too.
    client.force_login(other_teacher)
    assert client.post(url, data).status_code == 302
    past = school_day - timedelta(days=7)
    assert client.post(_url(lesson, past), data).status_code == 302
    assert LessonAttendance.objects.filter(lesson=lesson, date=past).count() == len(data)


def test_teacher_opens_any_past_lesson_from_the_timetable(school_day, client_for, demo, personas):
    """The staff timetable links each held lesson that has come to its attendance sheet."""
    lesson = _lesson(demo, school_day, personas["teacher"])
    last_week = school_day - timedelta(days=7)
    page = client_for("teacher").get(reverse("school:timetable") + f"?vecka={last_week.isoformat()}")
    assert _url(lesson, last_week) in page.content.decode()
    ahead = school_day + timedelta(days=7)
    page = client_for("teacher").get(reverse("school:timetable") + f"?vecka={ahead.isoformat()}")
    assert _url(lesson, ahead) not in page.content.decode()
    sheet = client_for("teacher").get(_url(lesson, last_week))
    assert sheet.status_code == 200 and sheet.context["may_register"]


def test_no_registration_on_a_holiday_or_ahead(school_day, client_for, personas, demo):
    lesson = _lesson(demo, school_day, personas["teacher"])
    data = {
        f"s{c}": "narvarande" for c in Placement.objects.filter(group=demo["3b"]).values_list("child_id", flat=True)
    }
    ahead = client_for("teacher").post(_url(lesson, school_day + timedelta(days=7)), data)
    assert ahead.status_code == 200
    assert not LessonAttendance.objects.filter(lesson=lesson).exists()


def _group_of(size, demo, day):
    group = Group.objects.create(unit=demo["norrskolan"], name=f"Grupp {size}", kind=Group.Kind.UNDERVISNINGSGRUPP)
    start = day - timedelta(days=30)
    kids = Child.objects.bulk_create(
        Child(
            given_name=f"Elev{i}",
            family_name="Test",
            personnummer=f"2017{size:04d}{i:04d}",
            date_of_birth=start.replace(year=2017),
        )
        for i in range(size)
    )
    Placement.objects.bulk_create(
        Placement(child=k, unit=demo["norrskolan"], group=group, start_date=start) for k in kids
    )
    return group, kids


# Saving the attendance of a whole group (teacher with database sessions):
#  1 session, 2 the lesson with the viewer's roles (one query with EXISTS),
#  3 closed days, 4 the group's pupils, 5 guardian reports for the lesson,
#  6 one INSERT … ON CONFLICT DO UPDATE for every pupil, 7 one audit record for the save.
# The user's row comes from the cache (the form's request stored it: accounts.backends).
# With Redis the session is not in the database: one fewer.
@pytest.mark.parametrize("size", [5, 30])
def test_attendance_save_constant_queries(size, school_day, personas, demo, django_assert_num_queries):
    from django.conf import settings
    from django.test import Client

    session = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
    group, kids = _group_of(size, demo, school_day)
    GroupStaff.objects.create(user=personas["teacher"], group=group, start_date=school_day - timedelta(days=30))
    lesson = _lesson(demo, school_day, personas["teacher"], group=group)
    client = Client()
    client.force_login(personas["teacher"])
    # Opening the form: session, user, lesson, closed days, pupils, reports, earlier registrations,
    # and the viewer for the main menu (own children, duties).
    with django_assert_num_queries(session + 8):
        assert client.get(_url(lesson, school_day)).status_code == 200
    data = {f"s{k.pk}": "franvarande" if i % 3 == 0 else "narvarande" for i, k in enumerate(kids)}
    with django_assert_num_queries(session + 6):
        response = client.post(_url(lesson, school_day), data)
    assert response.status_code == 302
    assert LessonAttendance.objects.filter(lesson=lesson).count() == size
    assert session + 6 <= 8
    from accounts.models import AuditEvent

    audit = AuditEvent.objects.get(object_type="school.lesson", object_id=str(lesson.pk))
    assert audit.details == {"date": school_day.isoformat(), "pupils": size, "ogiltig": len(kids[::3])}


def test_same_day_notice_only_on_the_same_day_and_not_after_a_correction(
    school_day, personas, demo, freeze, django_capture_on_commit_callbacks
):
    from absence.notifications import same_day_notice_send
    from absence.tests.conftest import at

    lesson = _lesson(demo, school_day, personas["teacher"])
    LessonAttendance.objects.create(
        lesson=lesson, date=school_day, child=demo["bella"], status="franvarande", valid=False
    )
    freeze(at(school_day + timedelta(days=1), 0, 5))  # the task ran late, after midnight
    assert same_day_notice_send(child_id=demo["bella"].pk, day=school_day) is False
    freeze(at(school_day, 23, 55))
    LessonAttendance.objects.filter(lesson=lesson).update(valid=True)  # the teacher corrected it
    assert same_day_notice_send(child_id=demo["bella"].pk, day=school_day) is False
    LessonAttendance.objects.filter(lesson=lesson).update(valid=False)
    with django_capture_on_commit_callbacks(execute=True):  # the outbox delivers after commit
        assert same_day_notice_send(child_id=demo["bella"].pk, day=school_day) is True
    assert same_day_notice_send(child_id=demo["bella"].pk, day=school_day) is False
    assert len(mail.outbox) == 1
    assert "Bella" in mail.outbox[0].subject


def test_same_day_notice_missed_by_the_broker_is_sent_by_the_sweep(
    school_day, personas, demo, freeze, monkeypatch, client_for
):
    """The broker is down when the teacher saves: the save works, and the periodic sweep sends
    the notice later that day (once)."""
    from absence import tasks
    from absence.tests.conftest import at
    from notifications.models import OutboxMessage

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis nere")

    lesson = _lesson(demo, school_day, personas["teacher"])
    freeze(at(school_day, 9, 0))
    monkeypatch.setattr(tasks.send_same_day_notice, "delay", broker_down)
    tasks.same_day_notice_enqueue(demo["bella"].pk, school_day)  # logs, does not raise
    LessonAttendance.objects.create(
        lesson=lesson, date=school_day, child=demo["bella"], status="franvarande", valid=False
    )
    assert tasks.send_missed_same_day_notices() == 1
    assert tasks.send_missed_same_day_notices() == 0
    assert OutboxMessage.objects.filter(dedupe_key=f"absence-same-day:{demo['bella'].pk}:{school_day}").count() == 1
