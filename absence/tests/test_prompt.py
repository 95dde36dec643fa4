"""The next-morning prompt: 07:00 Stockholm on the next school day, across weekends,
holidays and the daylight-saving change; not sent when the report already covers the day."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from absence import services
from absence.calendar import next_school_day
from absence.models import AbsenceReport
from absence.tasks import send_next_morning_prompts
from absence.tests.conftest import at

pytestmark = pytest.mark.django_db


def _sick(personas, demo, day, end=None):
    return services.absence_report_create(
        children=[demo["elias"]], reported_by=personas["guardian"], start_date=day, end_date=end or day, reason="sjuk"
    )[0]


def _weekday_after(day: date, weekday: int) -> date:
    day += timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def test_beat_runs_at_seven_stockholm_time_on_weekdays():
    from config.celery import app_periodic_tasks

    entry = app_periodic_tasks()["absence-next-morning-prompt"]
    assert entry["task"] == "absence.tasks.send_next_morning_prompts"
    assert entry["schedule"].hour == {7} and entry["schedule"].minute == {0}
    assert entry["schedule"].day_of_week == {1, 2, 3, 4, 5}
    assert settings.CELERY_TIMEZONE == "Europe/Stockholm"


def test_prompt_next_morning_and_one_click_extends(
    personas, demo, freeze, client_for, django_capture_on_commit_callbacks
):
    tuesday = _weekday_after(timezone.localdate() + timedelta(days=7), 1)
    freeze(at(tuesday, 7, 30))
    report = _sick(personas, demo, tuesday)
    freeze(at(tuesday + timedelta(days=1), 7, 0))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_next_morning_prompts() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Är Elias fortfarande sjuk?"
    link = reverse("absence:report-extend", args=[report.pk])
    assert link in message.body
    assert send_next_morning_prompts() == 0  # asked once
    # The one click, after logging in:
    assert client_for("anonymous").get(link).status_code == 302
    anna = client_for("guardian")
    assert anna.get(link).status_code == 200
    assert anna.post(link).status_code == 302
    report.refresh_from_db()
    assert report.end_date == tuesday + timedelta(days=1)
    assert AbsenceReport.objects.filter(child=demo["elias"]).count() == 1
    assert client_for("other_guardian").post(link).status_code == 404
    assert client_for("student").post(link).status_code == 403


def test_not_sent_when_the_report_covers_the_day(personas, demo, freeze):
    tuesday = _weekday_after(timezone.localdate() + timedelta(days=7), 1)
    freeze(at(tuesday, 7, 30))
    _sick(personas, demo, tuesday, tuesday + timedelta(days=1))
    freeze(at(tuesday + timedelta(days=1), 7, 0))
    assert send_next_morning_prompts() == 0
    assert mail.outbox == []


def test_friday_report_is_asked_on_monday_not_on_the_weekend(personas, demo, freeze):
    friday = _weekday_after(timezone.localdate() + timedelta(days=7), 4)
    freeze(at(friday, 7, 30))
    _sick(personas, demo, friday)
    freeze(at(friday + timedelta(days=1), 7, 0))  # Saturday: the task does nothing
    assert send_next_morning_prompts() == 0
    freeze(at(friday + timedelta(days=3), 7, 0))  # Monday
    assert send_next_morning_prompts() == 1


def test_holiday_is_skipped(personas, demo, freeze):
    start = demo["elias"].placements.first().start_date
    from roster.dates import swedish_holidays

    ascension = next(
        d
        for d, name in swedish_holidays(start, start.replace(year=start.year + 1)).items()
        if name.startswith("Kristi himmel")
    )
    wednesday = ascension - timedelta(days=1)
    freeze(at(wednesday, 7, 30))
    _sick(personas, demo, wednesday)
    freeze(at(ascension, 7, 0))  # Thursday, a holiday
    assert send_next_morning_prompts() == 0
    freeze(at(ascension + timedelta(days=1), 7, 0))  # Friday
    assert next_school_day(wednesday) == ascension + timedelta(days=1)
    assert send_next_morning_prompts() == 1


def test_across_the_daylight_saving_change(personas, demo, freeze, django_capture_on_commit_callbacks):
    """Summer time starts on the last Sunday of March: 07:00 on the Monday after is 05:00 UTC.
    The sick day is the last school day before the change (Thursday when Långfredagen falls on it)."""
    from absence.calendar import child_open_days, previous_school_day

    start = demo["elias"].placements.first().start_date
    march_end = date(start.year + 1, 3, 31)
    dst_sunday = march_end - timedelta(days=(march_end.weekday() + 1) % 7)
    sick_day = previous_school_day(dst_sunday)
    # Elias's next open day: school, or fritids when påsklov follows (Monday, or Tuesday after Annandag påsk).
    placements = list(demo["elias"].placements.select_related("unit"))
    next_day = child_open_days(placements, sick_day + timedelta(days=1), sick_day + timedelta(days=14))[0]
    assert sick_day < dst_sunday < next_day
    freeze(at(sick_day, 7, 30))
    _sick(personas, demo, sick_day)
    seven = at(next_day, 7, 0)
    assert seven.utcoffset() == timedelta(hours=2)
    freeze(seven - timedelta(days=1))
    assert send_next_morning_prompts() == 0  # the weekend or the holiday
    freeze(seven)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_next_morning_prompts() == 1
    assert "Elias" in mail.outbox[0].subject


def test_a_crash_halfway_neither_repeats_nor_loses_a_prompt(personas, demo, freeze, monkeypatch):
    """Each child's prompt is marked and stored in its own transaction: when the run dies after
    the first child, the rerun (Celery's retry) asks only the children not yet asked."""
    from absence import notifications
    from notifications.models import OutboxMessage

    tuesday = _weekday_after(timezone.localdate() + timedelta(days=7), 1)
    freeze(at(tuesday, 7, 30))
    _sick(personas, demo, tuesday)  # Elias
    services.absence_report_create(
        children=[demo["alva"]], reported_by=personas["guardian"], start_date=tuesday, end_date=tuesday, reason="sjuk"
    )
    freeze(at(tuesday + timedelta(days=1), 7, 0))
    real = notifications._enqueue
    calls = []

    def dies_on_the_second(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise OSError("the worker was killed")
        return real(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(notifications, "_enqueue", dies_on_the_second)
        with pytest.raises(OSError):
            send_next_morning_prompts()
    first = list(OutboxMessage.objects.filter(subject__endswith="fortfarande sjuk?").values_list("subject", flat=True))
    assert len(first) == 1
    assert AbsenceReport.objects.filter(prompt_sent_on__isnull=False).count() == 1
    assert send_next_morning_prompts() == 1  # the retry: only the child not yet asked
    assert send_next_morning_prompts() == 0
    subjects = sorted(
        OutboxMessage.objects.filter(subject__endswith="fortfarande sjuk?").values_list("subject", flat=True)
    )
    assert subjects == ["Är Alva fortfarande sjuk?", "Är Elias fortfarande sjuk?"]


def test_beat_fires_at_seven_local_time_after_the_daylight_saving_change(freeze):
    """After the switch to summer time 07:00 in Stockholm is 05:00 UTC (it was 06:00 UTC)."""
    from datetime import UTC, datetime

    from celery.schedules import crontab

    from config.celery import app, app_periodic_tasks

    configured = app_periodic_tasks()["absence-next-morning-prompt"]["schedule"]
    schedule = crontab(hour=7, minute=0, day_of_week="mon-fri", app=app)
    assert (schedule.hour, schedule.minute, schedule.day_of_week) == (
        configured.hour,
        configured.minute,
        configured.day_of_week,
    )
    year = timezone.localdate().year + 1
    march_end = date(year, 3, 31)
    dst_sunday = march_end - timedelta(days=(march_end.weekday() + 1) % 7)
    friday, monday = dst_sunday - timedelta(days=2), dst_sunday + timedelta(days=1)
    last_run = at(friday, 7, 0)
    assert last_run.utcoffset() == timedelta(hours=1)
    freeze(datetime.combine(monday, datetime.min.time(), tzinfo=UTC).replace(hour=4, minute=59))
    due, next_in = schedule.is_due(last_run)
    assert not due and next_in == 60.0
    freeze(datetime.combine(monday, datetime.min.time(), tzinfo=UTC).replace(hour=5, minute=0, second=30))
    assert schedule.is_due(last_run)[0]
