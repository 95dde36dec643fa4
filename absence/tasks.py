import logging
from datetime import date

from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from absence import notifications

log = logging.getLogger(__name__)

# Found by config.celery. The same-day notice normally goes out through the task enqueued when
# the attendance is saved; this sweep sends what that missed (the broker was down at the time),
# still the same day. Both are safe to repeat: one notice per child and day.
PERIODIC_TASKS = {
    "absence-same-day-sweep": {
        "task": "absence.tasks.send_missed_same_day_notices",
        "schedule": crontab(minute="*/10", hour="7-20", day_of_week="mon-fri"),
    },
    # The next-morning prompt ("Är Elias fortfarande sjuk?"): 07:00 Stockholm time on weekdays
    # (CELERY_TIMEZONE keeps it at 07:00 across daylight-saving changes); holidays are skipped
    # by the task itself.
    "absence-next-morning-prompt": {
        "task": "absence.tasks.send_next_morning_prompts",
        "schedule": crontab(hour=7, minute=0, day_of_week="mon-fri"),
    },
}


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_same_day_notice(child_id: int, day: str) -> bool:
    """At most one e-mail per child and day; later registrations that day send nothing more."""
    return notifications.same_day_notice_send(child_id=child_id, day=date.fromisoformat(day))


def same_day_notice_enqueue(child_id: int, day: date) -> None:
    """After commit: ask a worker to decide and store the notice. With the broker down the
    periodic sweep finds the absence later the same day (the attendance row is the record)."""
    try:
        send_same_day_notice.delay(child_id, day.isoformat())
    except Exception:  # kombu's OperationalError and friends: the broker is unreachable
        log.warning("same-day notice for child %s waits for the sweep (broker unreachable)", child_id, exc_info=True)


@shared_task
def send_missed_same_day_notices() -> int:
    return notifications.same_day_notices_sweep(day=timezone.localdate())


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_next_morning_prompts() -> int:
    """Celery beat, 07:00 Europe/Stockholm on weekdays; does nothing on a holiday."""
    return notifications.next_morning_prompts_send()
