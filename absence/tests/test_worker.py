"""The same-day notice goes through the real broker and a real Celery worker."""

import email
import email.policy
import time as time_module

import pytest
from django.utils import timezone

from conftest import wait_for_mail


@pytest.mark.services
@pytest.mark.real_celery
def test_same_day_notice_is_delivered_by_a_real_worker(celery_worker_process):
    from datetime import time

    from absence import services
    from absence.models import SameDayNotice
    from accounts.models import User
    from demo.seed import seed_demo
    from roster.models import Child, Group, Placement
    from school.models import Lesson, Subject

    seed_demo()  # the transactional database starts empty
    today = timezone.localdate()
    group = Group.objects.get(name="3B", unit__code="DEMO-NORRSKOLAN")
    teacher = User.objects.get(email="larare.3b@example.se")
    bella = Child.objects.get(given_name="Bella", family_name="Berg")
    lessons = [
        Lesson.objects.create(
            group=group,
            subject=Subject.objects.get(name=name),
            teacher=teacher,
            weekday=today.weekday(),
            start_time=start,
            end_time=end,
        )
        for name, start, end in [("Matematik", time(8, 15), time(9)), ("Bild", time(9, 10), time(10))]
    ]
    pupils = set(Placement.objects.filter(group=group).values_list("child_id", flat=True))
    for lesson in lessons:  # Bella misses both lessons: one e-mail, listing both
        marks = [services.Mark(child_id=c, status="franvarande" if c == bella.pk else "narvarande") for c in pupils]
        services.lesson_attendance_save(lesson=lesson, day=today, registered_by=teacher, marks=marks, pupil_ids=pupils)

    wait_for_mail(celery_worker_process["mail_dir"])
    # Both tasks (one per lesson save) have run before we count the e-mails.
    deadline = time_module.monotonic() + 60
    while celery_worker_process["log"].read_text().count("succeeded") < 2 and time_module.monotonic() < deadline:
        time_module.sleep(0.3)
    texts = wait_for_mail(celery_worker_process["mail_dir"])
    messages = [
        email.message_from_string(part.strip(), policy=email.policy.default)
        for text in texts
        for part in text.split("-" * 79)
        if part.strip()
    ]
    assert len(messages) == 1  # the second task found the notice already sent
    message = messages[0]
    assert message["To"] == "bo.berg@example.se"
    assert message["Subject"] == "Bella har ogiltig frånvaro idag"
    body = message.get_body(("plain",)).get_content()
    assert "Matematik" in body and "7 kap. 17 a §" in body
    assert SameDayNotice.objects.filter(child=bella, date=today).count() == 1
