"""The lock: today through today + SKOLHUBB_SCHEDULE_LOCK_DAYS, in Stockholm local dates,
for guardians; staff may override with a reason."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from schedules import selectors, services
from schedules.models import BaseSchedule, DayEntry, ScheduleState
from schedules.tests.conftest import local, week_times

pytestmark = pytest.mark.django_db

# (the last minute of a day, the first minute of the next, the date that flips from open to
# locked at that midnight): an ordinary night and both daylight-saving nights.
BOUNDARIES = [
    pytest.param(local(2026, 12, 1, 23, 59), local(2026, 12, 2, 0, 0), date(2026, 12, 9), id="ordinary"),
    # Summer time starts 2027-03-28 02:00: the night into the 29th is the first in CEST; the
    # night into the 28th is the last in CET (23:00 UTC).
    pytest.param(local(2027, 3, 27, 23, 59), local(2027, 3, 28, 0, 0), date(2027, 4, 4), id="dst-spring-before"),
    pytest.param(local(2027, 3, 28, 23, 59), local(2027, 3, 29, 0, 0), date(2027, 4, 5), id="dst-spring-after"),
    # Winter time starts 2026-10-25 03:00.
    pytest.param(local(2026, 10, 24, 23, 59), local(2026, 10, 25, 0, 0), date(2026, 11, 1), id="dst-autumn-before"),
    pytest.param(local(2026, 10, 25, 23, 59), local(2026, 10, 26, 0, 0), date(2026, 11, 2), id="dst-autumn-after"),
]


def _set_day(child, actor, day, *, as_staff=False, reason=""):
    return services.schedule_days_set(
        child=child,
        actor=actor,
        start_date=day,
        end_date=None,
        kind=DayEntry.Kind.TIMES,
        start_time=time(8, 0),
        end_time=time(15, 0),
        version=selectors.schedule_version(child=child),
        as_staff=as_staff,
        reason=reason,
    )


@pytest.mark.parametrize(("before", "after", "flipping"), BOUNDARIES)
def test_lock_moves_at_local_midnight(before, after, flipping, demo, personas):
    alva, anna = demo["alva"], personas["guardian"]
    # Last minute of the day: the flipping date is the first open one.
    with time_machine.travel(before, tick=False):
        assert selectors.first_open_day() == flipping
        assert not selectors.is_locked(flipping)
    with time_machine.travel(after, tick=False):
        assert selectors.is_locked(flipping)
        assert selectors.first_open_day() == flipping + timedelta(days=1)
    if flipping.weekday() >= 5:
        return  # a weekend: nothing to register, the dates above are the test
    with time_machine.travel(before, tick=False):
        assert _set_day(alva, anna, flipping) == 1
        with pytest.raises(ValidationError) as exc:
            _set_day(alva, anna, flipping - timedelta(days=1))
        assert "låsta" in str(exc.value)
    # Local midnight: it is locked now, also across a daylight-saving change.
    with time_machine.travel(after, tick=False):
        assert selectors.is_locked(flipping)
        with pytest.raises(ValidationError):
            _set_day(alva, anna, flipping)
        # Staff may still change it, with a reason.
        with pytest.raises(ValidationError) as exc:
            _set_day(alva, personas["other_staff"], flipping, as_staff=True)
        assert "reason" in exc.value.message_dict
        assert _set_day(alva, personas["other_staff"], flipping, as_staff=True, reason="Pappa ringde") == 1


def test_staff_override_recorded_and_shown_to_guardian(frozen, demo, personas, client_for):
    alva = demo["alva"]
    tomorrow = date(2026, 12, 1)
    staff = client_for("other_staff")
    response = staff.post(
        reverse("schedules:days-edit", args=[alva.pk]),
        {
            "version": selectors.schedule_version(child=alva),
            "start_date": tomorrow,
            "kind": "times",
            "start_time": "09:00",
            "end_time": "14:00",
            "reason": "Mamma ringde",
        },
    )
    assert response.status_code == 302
    entry = DayEntry.objects.get(child=alva, date=tomorrow)
    assert (entry.start_time, entry.override_reason, entry.changed_by) == (
        time(9, 0),
        "Mamma ringde",
        personas["other_staff"],
    )
    from accounts.models import AuditEvent

    audit = AuditEvent.objects.filter(child_id=alva.pk, actor=personas["other_staff"]).latest("at")
    assert audit.details["staff_override_reason"] == "Mamma ringde"
    assert audit.details["schedule_days"] == ["2026-12-01"]
    page = client_for("guardian").get(reverse("schedules:child-week", args=[alva.pk]))
    assert "Ändrat av personal (Petra Pedagog, 30 nov 10:00)" in page.content.decode()
    assert "Mamma ringde" in page.content.decode()


def test_staff_override_without_reason_is_a_form_error(frozen, demo, client_for):
    alva = demo["alva"]
    before = DayEntry.objects.filter(child=alva).count()
    response = client_for("other_staff").post(
        reverse("schedules:days-edit", args=[alva.pk]),
        {"version": selectors.schedule_version(child=alva), "start_date": date(2026, 12, 1), "kind": "ledig"},
    )
    assert response.status_code == 200
    assert "Skriv varför schemat ändras inom låsningen." in response.content.decode()
    assert DayEntry.objects.filter(child=alva).count() == before


@pytest.mark.parametrize("kind", ["times", "ledig", "base"])
def test_crafted_post_for_a_locked_date_changes_nothing(kind, frozen, demo, client_for):
    alva = demo["alva"]
    locked = date(2026, 12, 7)  # today + 7: the last locked day
    entries = list(DayEntry.objects.filter(child=alva).values())
    version = selectors.schedule_version(child=alva)
    response = client_for("guardian").post(
        reverse("schedules:days-edit", args=[alva.pk]),
        {
            "version": selectors.schedule_version(child=alva),
            "start_date": locked,
            "end_date": date(2026, 12, 9),
            "kind": kind,
            "start_time": "08:00",
            "end_time": "15:00",
        },
    )
    assert response.status_code == 200
    assert "Dagar till och med 7 dec är låsta" in response.content.decode()
    assert list(DayEntry.objects.filter(child=alva).values()) == entries
    assert selectors.schedule_version(child=alva) == version


def test_crafted_post_ignores_a_reason_from_a_guardian(frozen, demo, client_for):
    """The reason field is for staff: a guardian who adds it is still locked out."""
    alva = demo["alva"]
    response = client_for("guardian").post(
        reverse("schedules:days-edit", args=[alva.pk]),
        {
            "version": selectors.schedule_version(child=alva),
            "start_date": date(2026, 12, 1),
            "kind": "ledig",
            "reason": "Jag är personal",
        },
    )
    assert response.status_code == 200
    assert not DayEntry.objects.filter(child=alva, date=date(2026, 12, 1)).exists()


def test_base_schedule_may_not_start_inside_the_lock(frozen, demo, personas, client_for):
    alva = demo["alva"]
    bases = list(BaseSchedule.objects.filter(child=alva).values())
    data = {"start_date": date(2026, 12, 3)}
    for d in range(5):
        data[f"w0_d{d}_start"], data[f"w0_d{d}_end"] = "09:00", "12:00"
    response = client_for("guardian").post(
        reverse("schedules:base-edit", args=[alva.pk]), data | {"version": selectors.schedule_version(child=alva)}
    )
    assert response.status_code == 200
    assert "låsta" in response.content.decode()
    assert list(BaseSchedule.objects.filter(child=alva).values()) == bases
    # Staff cannot either: locked days change one by one, with a reason.
    with pytest.raises(ValidationError):
        services.schedule_base_set(
            child=alva,
            actor=personas["other_staff"],
            start_date=date(2026, 12, 3),
            weeks=week_times("09:00", "12:00"),
            version=selectors.schedule_version(child=alva),
        )


def test_new_base_after_the_lock_leaves_locked_days_alone(frozen, demo, personas):
    alva = demo["alva"]
    locked_days = selectors.weekdays(date(2026, 11, 30), date(2026, 12, 7))
    before = selectors.ScheduleData(child_ids=[alva.pk], start=locked_days[0], end=locked_days[-1])
    old = [(before.day(alva.pk, d).status, before.day(alva.pk, d).start) for d in locked_days]
    services.schedule_base_set(
        child=alva,
        actor=personas["guardian"],
        start_date=date(2026, 12, 8),
        weeks=week_times("09:00", "12:00"),
        version=selectors.schedule_version(child=alva),
    )
    after = selectors.ScheduleData(child_ids=[alva.pk], start=locked_days[0], end=date(2026, 12, 8))
    assert [(after.day(alva.pk, d).status, after.day(alva.pk, d).start) for d in locked_days] == old
    assert after.day(alva.pk, date(2026, 12, 8)).start == time(9, 0)
    assert ScheduleState.objects.get(child=alva).version >= 1


def test_schedule_page_marks_locked_days(frozen, demo, client_for):
    response = client_for("guardian").get(reverse("schedules:child-week", args=[demo["alva"].pk]))
    weeks = response.context["weeks"]
    flags = [(d.date, d.locked) for w in weeks for d in w.days]
    assert flags[0] == (date(2026, 11, 30), True)
    assert (date(2026, 12, 7), True) in flags
    assert (date(2026, 12, 8), False) in flags
    assert response.content.decode().count('class="visually-hidden">Låst<') == 6


def test_guardian_page_opens_on_the_locked_week_then_the_first_changeable_week(demo, client_for):
    """On a Saturday the lock reaches next Saturday: the page opens on next week (locked)
    with the first week a guardian can change below it."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    saturday = date(2026, 11, 28)
    with time_machine.travel(datetime(2026, 11, 28, 9, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False):
        page = client_for("guardian").get(reverse("schedules:child-week", args=[demo["alva"].pk]))
        weeks = page.context["weeks"]
        assert weeks[0].days[0].date == date(2026, 11, 30)  # next week, locked to Saturday 5 December
        assert all(d.locked for d in weeks[0].days)
        assert not weeks[1].days[0].locked  # Monday 7 December: the first day Anna can change
        assert saturday < weeks[0].days[0].date
        # Staff open on the current week (they may change inside the lock).
        staff = client_for("other_staff").get(reverse("schedules:child-week", args=[demo["alva"].pk]))
        assert staff.context["weeks"][0].days[0].date == date(2026, 11, 23)
