"""Every view that changes something: the happy path, the wrong method (405), an outsider
(404), a reader without write rights (403), and bad input (form error, nothing changed)."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from roster.models import ClosedPeriod
from schedules import selectors
from schedules.models import Attendance, BaseSchedule, DayComment, DayEntry
from schedules.tests.conftest import local

pytestmark = pytest.mark.django_db

OPEN = date(2026, 12, 8)


def _base_data(start=date(2026, 12, 14), times=("08:00", "15:00")):
    data = {"start_date": start}
    for d in range(5):
        data[f"w0_d{d}_start"], data[f"w0_d{d}_end"] = times
    return data


# --- Method, outsider, reader -----------------------------------------------------------------


@pytest.mark.parametrize("name", ["schedules:base-edit", "schedules:days-edit", "schedules:comment-create"])
def test_wrong_method_is_405(name, demo, client_for):
    response = client_for("guardian").put(reverse(name, args=[demo["alva"].pk]))
    assert response.status_code == 405


@pytest.mark.parametrize("name", ["schedules:checkin", "schedules:closed-days"])
def test_wrong_method_is_405_for_unit_pages(name, demo, client_for):
    assert client_for("other_staff").delete(reverse(name, args=[demo["solrosen"].pk])).status_code == 405


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("schedules:base-edit", _base_data()),
        ("schedules:days-edit", {"start_date": OPEN, "kind": "ledig"}),
        ("schedules:comment-create", {"date": OPEN, "body": "Hej"}),
    ],
)
def test_outsider_gets_404_and_nothing_changes(name, data, frozen, demo, client_for):
    alva = demo["alva"]
    counts = (BaseSchedule.objects.count(), DayEntry.objects.count(), DayComment.objects.count())
    for role in ("other_guardian", "teacher", "principal"):
        assert client_for(role).post(reverse(name, args=[alva.pk]), data).status_code == 404
    assert (BaseSchedule.objects.count(), DayEntry.objects.count(), DayComment.objects.count()) == counts


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("schedules:base-edit", _base_data()),
        ("schedules:days-edit", {"start_date": OPEN, "kind": "ledig"}),
        ("schedules:comment-create", {"date": OPEN, "body": "Hej"}),
    ],
)
def test_reader_without_write_rights_gets_403(name, data, frozen, demo, client_for):
    """Elias may read his own fritids schedule but not change it; his class teacher (staff at
    the school, not at the fritidshem) may see him but not change his care schedule."""
    elias = demo["elias"]
    assert client_for("student").get(reverse("schedules:child-week", args=[elias.pk])).status_code == 200
    for role in ("student", "teacher"):
        assert client_for(role).post(reverse(name, args=[elias.pk]), data).status_code == 403
    assert not BaseSchedule.objects.filter(child=elias).exists()
    assert not DayEntry.objects.filter(child=elias).exists()
    assert not DayComment.objects.filter(child=elias).exists()


def test_unit_pages_are_404_for_staff_elsewhere_and_closed_days_403_for_pedagog(frozen, demo, client_for):
    fritids = demo["fritids"]
    for name in ("schedules:unit-day", "schedules:unit-planning", "schedules:checkin", "schedules:closed-days"):
        assert client_for("other_staff").get(reverse(name, args=[fritids.pk])).status_code == 404
        assert client_for("teacher").get(reverse(name, args=[fritids.pk])).status_code == 404
    # The fritids pedagog may read the closed days but only the principal may change them.
    frida = client_for("anonymous")
    frida.force_login(User.objects.get(email="fritids@example.se"))
    url = reverse("schedules:closed-days", args=[fritids.pk])
    assert frida.get(url).status_code == 200
    assert frida.post(url, {"date": "2026-12-10", "reason": "studiedag"}).status_code == 403
    assert not ClosedPeriod.objects.filter(unit=fritids).exists()


# --- Base schedule and day changes: happy path and bad input ----------------------------------


def test_guardian_registers_base_schedule(frozen, demo, client_for):
    alva = demo["alva"]
    guardian = client_for("guardian")
    assert guardian.get(reverse("schedules:base-edit", args=[alva.pk])).status_code == 200
    response = guardian.post(
        reverse("schedules:base-edit", args=[alva.pk]),
        _base_data() | {"version": selectors.schedule_version(child=alva)},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?vecka=2026-W51")
    base = BaseSchedule.objects.get(child=alva, start_date=date(2026, 12, 14))
    assert base.weeks == [[["08:00", "15:00"]] * 5]


def test_base_schedule_bad_input_is_a_form_error(frozen, demo, client_for):
    alva = demo["alva"]
    bases = list(BaseSchedule.objects.filter(child=alva).values())
    data = _base_data() | {"w0_d2_start": "16:00", "w0_d2_end": "08:00", "w0_d4_start": "25:00"}
    response = client_for("guardian").post(
        reverse("schedules:base-edit", args=[alva.pk]), data | {"version": selectors.schedule_version(child=alva)}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "w0_d4_start" in errors or "w0_d2_end" in errors
    assert list(BaseSchedule.objects.filter(child=alva).values()) == bases


def test_guardian_sets_a_range_ledig(frozen, demo, client_for):
    alva = demo["alva"]
    response = client_for("guardian").post(
        reverse("schedules:days-edit", args=[alva.pk]),
        {
            "version": selectors.schedule_version(child=alva),
            "start_date": OPEN,
            "end_date": date(2026, 12, 11),
            "kind": "ledig",
        },
    )
    assert response.status_code == 302
    assert DayEntry.objects.filter(child=alva, kind="ledig", date__range=(OPEN, date(2026, 12, 11))).count() == 4


# --- Comments both ways -----------------------------------------------------------------------


def test_comments_both_ways_with_unread_marks(frozen, demo, client_for):
    alva = demo["alva"]
    today = date(2026, 11, 30)
    guardian, staff = client_for("guardian"), client_for("other_staff")
    url = reverse("schedules:comment-create", args=[alva.pk])
    # On a locked day (today): allowed.
    assert guardian.post(url, {"date": today, "body": "Hämtas 15.00 av mormor idag"}).status_code == 302
    comment = DayComment.objects.get(child=alva, date=today)
    assert not comment.by_staff and comment.read_at is None
    day_list = staff.get(reverse("schedules:unit-day", args=[demo["solrosen"].pk]) + "?grupp=" + str(demo["solen"].pk))
    text = day_list.content.decode()
    assert "Hämtas 15.00 av mormor idag" in text and ">Ny</strong>" in text
    comment.refresh_from_db()
    assert comment.read_at is None  # a GET changes nothing
    assert "Markera kommentarerna som lästa" in text
    read = reverse("schedules:unit-comments-read", args=[demo["solrosen"].pk])
    assert staff.get(read).status_code == 405
    assert client_for("guardian").post(read, {"datum": "2026-11-30"}).status_code == 404
    response = staff.post(read, {"datum": "2026-11-30", "grupp": demo["solen"].pk})
    assert response.status_code == 302
    assert response["Location"].endswith(f"?datum=2026-11-30&grupp={demo['solen'].pk}")
    comment.refresh_from_db()
    assert comment.read_at is not None  # staff has seen it
    assert staff.post(url, {"date": today, "body": "Vi hälsar mormor välkommen!"}).status_code == 302
    answer = DayComment.objects.get(child=alva, date=today, by_staff=True)
    # The Hub box counts the staff answer as unread until the guardian opens the schedule.
    hub = guardian.get(reverse("hub:dashboard"))
    assert "1 ny kommentar" in hub.content.decode()
    page = guardian.get(reverse("schedules:child-week", args=[alva.pk])).content.decode()
    assert "Vi hälsar mormor välkommen!" in page and "Petra Pedagog (personal)" in page
    answer.refresh_from_db()
    assert answer.read_at is None  # opening the page is not "read"
    read = reverse("schedules:comments-read", args=[alva.pk])
    assert client_for("other_guardian").post(read, {"vecka": "2026-W49"}).status_code == 404
    assert guardian.post(read, {"vecka": "2026-W49"}).status_code == 302
    answer.refresh_from_db()
    assert answer.read_at is not None
    assert "ny kommentar" not in guardian.get(reverse("hub:dashboard")).content.decode()


def test_comment_bad_input_is_a_form_error(frozen, demo, client_for):
    alva = demo["alva"]
    count = DayComment.objects.count()
    response = client_for("guardian").post(
        reverse("schedules:comment-create", args=[alva.pk]), {"date": date(2026, 12, 1), "body": "  "}
    )
    assert response.status_code == 200
    assert response.context["comment_form"].errors
    assert DayComment.objects.count() == count


# --- Check-in and check-out -------------------------------------------------------------------


def test_checkin_checkout_and_correction(demo, client_for, personas, time_machine):
    time_machine.move_to(local(2026, 11, 30, 7, 40), tick=False)
    alva, unit = demo["alva"], demo["solrosen"]
    staff = client_for("other_staff")
    url = reverse("schedules:checkin", args=[unit.pk])
    page = staff.get(url + f"?grupp={demo['solen'].pk}")
    row = next(r for r in page.context["expected_rows"] if r.child.pk == alva.pk)
    assert row.not_arrived  # Alva's demo schedule starts before 07.40
    assert "Inte kommit" in page.content.decode()
    assert staff.post(url, {"child": alva.pk, "action": "arrive"}).status_code == 302
    attendance = Attendance.objects.get(child=alva, date=date(2026, 11, 30))
    assert attendance.arrived_by == personas["other_staff"]
    assert f"{attendance.arrived_at.astimezone(local(2026, 1, 1).tzinfo):%H:%M}" == "07:40"
    # A mistaken tap is undone.
    staff.post(url, {"child": alva.pk, "action": "undo-arrive"})
    attendance.refresh_from_db()
    assert attendance.arrived_at is None
    staff.post(url, {"child": alva.pk, "action": "arrive"})
    time_machine.move_to(local(2026, 11, 30, 15, 5), tick=False)
    staff.post(url, {"child": alva.pk, "action": "leave"})
    # Leaving twice is refused with a message, nothing changes.
    response = staff.post(url, {"child": alva.pk, "action": "leave"}, follow=True)
    assert "redan utcheckad" in response.content.decode()
    page = client_for("guardian").get(reverse("schedules:child-week", args=[alva.pk])).content.decode()
    assert "Kom 07:40 (Petra Pedagog)" in page and "Gick 15:05 (Petra Pedagog)" in page
    # A child of another unit cannot be tapped here.
    assert staff.post(url, {"child": demo["elias"].pk, "action": "arrive"}).status_code == 404
    assert not Attendance.objects.filter(child=demo["elias"]).exists()


def test_checkin_shows_pickup_comment_and_sjukanmald(
    demo, client_for, personas, time_machine, django_capture_on_commit_callbacks
):
    """The tablet agrees with the absence reports and shows the guardian's note for the day."""
    from absence import services as absence_services

    time_machine.move_to(local(2026, 11, 30, 7, 0), tick=False)
    alva, elias = demo["alva"], demo["elias"]
    anna = client_for("guardian")
    assert (
        anna.post(
            reverse("schedules:comment-create", args=[elias.pk]),
            {"date": "2026-11-30", "body": "Hämtas 15:00 av mormor"},
        ).status_code
        == 302
    )
    with django_capture_on_commit_callbacks(execute=True):
        absence_services.absence_report_create(
            children=[alva],
            reported_by=personas["guardian"],
            start_date=date(2026, 11, 30),
            end_date=date(2026, 11, 30),
            reason="sjuk",
        )
    time_machine.move_to(local(2026, 11, 30, 9, 0), tick=False)
    page = client_for("other_staff").get(reverse("schedules:checkin", args=[demo["solrosen"].pk]))
    row = next(r for r in page.context["other_rows"] + page.context["expected_rows"] if r.child.pk == alva.pk)
    assert row.day.absent and not row.not_arrived
    html = page.content.decode()
    assert "Sjukanmäld" in html
    fritids = client_for("principal").get(reverse("schedules:checkin", args=[demo["fritids"].pk])).content.decode()
    assert "Från vårdnadshavare: Hämtas 15:00 av mormor" in fritids


# --- Closed days ------------------------------------------------------------------------------


def test_principal_marks_closed_day_and_guardians_see_stangt(frozen, demo, client_for):
    fritids, elias = demo["fritids"], demo["elias"]
    url = reverse("schedules:closed-days", args=[fritids.pk])
    principal = client_for("principal")
    assert principal.post(url, {"date": "2026-12-09", "reason": "studiedag"}).status_code == 302
    # Bad input: a weekend day is a form error and stores nothing.
    response = principal.post(url, {"date": "2026-12-12", "reason": "studiedag"})
    assert response.status_code == 200 and response.context["form"].errors["date"]
    assert list(ClosedPeriod.objects.filter(unit=fritids).values_list("start_date", "end_date")) == [
        (date(2026, 12, 9), date(2026, 12, 9))
    ]
    page = client_for("guardian").get(reverse("schedules:child-week", args=[elias.pk]) + "?vecka=2026-W50")
    day = next(d for w in page.context["weeks"] for d in w.days if d.date == date(2026, 12, 9))
    assert (day.status, day.closed_label) == ("stangt", "Studiedag")
    response = client_for("guardian").post(
        reverse("schedules:days-edit", args=[elias.pk]),
        {
            "version": selectors.schedule_version(child=elias),
            "start_date": "2026-12-09",
            "kind": "times",
            "start_time": "13:30",
            "end_time": "16:30",
        },
    )
    assert "har stängt den 9 dec" in response.content.decode()
    # The closed day is in the fritidshem's calendar too, for its families (stored once:
    # the Kalender reads it from roster, there is no copy to keep in step).
    closed = ClosedPeriod.objects.get(unit=fritids)
    assert closed.title == "Studiedag – fritids stängt"
    calendar = client_for("guardian").get(reverse("hub:calendar") + "?manad=2026-12").content.decode()
    assert "Studiedag – fritids stängt" in calendar
    # Families of other units do not see it.
    bella_family = client_for("other_guardian").get(reverse("hub:calendar") + "?manad=2026-12").content.decode()
    assert ("Studiedag – fritids stängt" in bella_family) == demo["fritids"].placements.filter(
        child__guardianships__guardian__email="bo.berg@example.se"
    ).exists()
    # And removes it again: gone from the calendar too.
    assert principal.post(url, {"delete": closed.pk}).status_code == 302
    assert not ClosedPeriod.objects.filter(unit=fritids).exists()
    calendar = client_for("guardian").get(reverse("hub:calendar") + "?manad=2026-12").content.decode()
    assert "Studiedag – fritids stängt" not in calendar


# --- The weekly reminder ----------------------------------------------------------------------


def test_reminder_sent_once_when_days_are_missing(frozen, demo, personas, django_capture_on_commit_callbacks):
    from schedules.tasks import schedule_reminders_enqueue

    # Elias (fritids) has no schedule in the demo; Anna is reminded once this week.
    with django_capture_on_commit_callbacks(execute=True):
        schedule_reminders_enqueue.delay()
    to_anna = [m for m in mail.outbox if m.to == ["anna.andersson@example.se"]]
    assert len(to_anna) == 1
    message = to_anna[0]
    assert message.subject == "Påminnelse: registrera omsorgstider i Skolhubb"
    assert "Elias: 8 dec" in message.body
    assert "Alva" not in message.body
    assert message.alternatives[0].mimetype == "text/html"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        schedule_reminders_enqueue.delay()
    assert not [m for m in mail.outbox if m.to == ["anna.andersson@example.se"]]


def test_reminder_not_sent_when_everything_is_registered(frozen, demo, personas, django_capture_on_commit_callbacks):
    from datetime import time

    from schedules import services
    from schedules.tasks import schedule_reminder_send

    services.schedule_base_set(
        child=demo["elias"],
        actor=personas["guardian"],
        start_date=OPEN,
        weeks=[[(time(13, 30), time(16, 30))] * 5],
        version=selectors.schedule_version(child=demo["elias"]),
    )
    assert demo["elias"].pk not in selectors.children_missing_registration(child_ids=[demo["elias"].pk])
    assert schedule_reminder_send.delay(personas["guardian"].pk).get() is False
    assert not mail.outbox


def test_day_form_starts_from_the_days_current_times(frozen, demo, personas, client_for):
    from datetime import time

    from schedules import services

    alva = demo["alva"]
    services.schedule_days_set(
        child=alva,
        actor=personas["guardian"],
        start_date=OPEN,
        end_date=None,
        kind="times",
        start_time=time(9, 5),
        end_time=time(13, 0),
        version=selectors.schedule_version(child=alva),
    )
    form = (
        client_for("guardian").get(reverse("schedules:days-edit", args=[alva.pk]) + "?datum=2026-12-08").context["form"]
    )
    assert (form.initial["start_time"], form.initial["end_time"]) == (time(9, 5), time(13, 0))
    assert 'value="09:05"' in str(form["start_time"])


def test_reminder_waits_in_the_outbox_while_smtp_is_down(frozen, demo, personas, monkeypatch):
    """The reminder is marked and stored in one transaction; a mail server that is down
    delays it (the outbox retries), it neither loses it nor sends it twice."""
    from django.core.mail import EmailMultiAlternatives

    from notifications.models import OutboxMessage
    from notifications.services import outbox_deliver_due
    from schedules import services
    from schedules.models import ReminderSent

    def broken(self, fail_silently=False):
        raise OSError("SMTP nere")

    assert services.schedule_reminder_send(guardian=personas["guardian"]) is True
    assert ReminderSent.objects.filter(guardian=personas["guardian"]).exists()
    with monkeypatch.context() as patch:
        patch.setattr(EmailMultiAlternatives, "send", broken)
        assert outbox_deliver_due() == 0
    message = OutboxMessage.objects.get(to=["anna.andersson@example.se"])
    assert message.state == OutboxMessage.State.PENDING and message.attempts == 1
    assert services.schedule_reminder_send(guardian=personas["guardian"]) is False  # once a week
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=message.created_at)
    assert outbox_deliver_due() == 1
    assert outbox_deliver_due() == 0
    assert len([m for m in mail.outbox if m.to == ["anna.andersson@example.se"]]) == 1


def test_lock_length_is_a_setting(frozen, demo, settings):
    settings.SKOLHUBB_SCHEDULE_LOCK_DAYS = 2
    assert selectors.first_open_day() == date(2026, 12, 3)
    assert selectors.is_locked(date(2026, 12, 2)) and not selectors.is_locked(date(2026, 12, 3))


def test_beat_schedule_names_the_reminder_task():
    from config.celery import app, app_periodic_tasks

    entry = app_periodic_tasks()["schedules-reminders"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"].day_of_week == {1}  # Mondays


def test_checkin_follows_a_report_made_or_removed_in_the_admin(demo, client_for, personas, time_machine):
    """A report added in the admin never touches the care day's mark; the tablet still shows
    the child as absent, not "Inte kommit" (as the Hub's boxes count it). Removed, the child
    is expected again."""
    from absence.models import AbsenceReport

    time_machine.move_to(local(2026, 11, 30, 7, 40), tick=False)
    alva, unit = demo["alva"], demo["solrosen"]
    staff = client_for("other_staff")
    url = reverse("schedules:checkin", args=[unit.pk]) + f"?grupp={demo['solen'].pk}"
    admin = client_for("admin")
    response = admin.post(
        reverse("admin:absence_absencereport_add"),
        {
            "child": alva.pk,
            "reported_by": personas["guardian"].pk,
            "start_date": "2026-11-30",
            "end_date": "2026-11-30",
            "reason": "sjuk",
        },
    )
    assert response.status_code == 302
    assert not DayEntry.objects.filter(child=alva, absent=True).exists(), "the admin does not mark the day"
    page = staff.get(url)
    rows = page.context["expected_rows"] + page.context["other_rows"]
    row = next(r for r in rows if r.child.pk == alva.pk)
    assert row.day.absent and not row.not_arrived
    assert alva.pk not in [r.child.pk for r in page.context["expected_rows"] if r.not_arrived]
    day_list = staff.get(reverse("schedules:unit-day", args=[unit.pk])).content.decode()
    assert "Frånvarande" in day_list
    report = AbsenceReport.objects.get(child=alva)
    response = admin.post(reverse("admin:absence_absencereport_delete", args=[report.pk]), {"post": "yes"})
    assert response.status_code == 302 and not AbsenceReport.objects.filter(pk=report.pk).exists()
    row = next(r for r in staff.get(url).context["expected_rows"] if r.child.pk == alva.pk)
    assert not row.day.absent and row.not_arrived
