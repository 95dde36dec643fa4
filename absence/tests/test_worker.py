"""The same-day notice goes through the real broker and a real Celery worker."""

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

    texts = wait_for_mail(celery_worker_process["mail_dir"])
    message = "\n".join(texts)
    assert "To: bo.berg@example.se" in message
    assert "Bella har ogiltig frånvaro idag" in message
    assert "Matematik" in message
    assert SameDayNotice.objects.filter(child=bella, date=today).count() == 1
    log = celery_worker_process["log"].read_text()
    assert log.count("succeeded") >= 2  # the second task found the notice already sent
    assert sum(t.count("\nSubject: ") + t.startswith("Subject: ") for t in texts) == 1
