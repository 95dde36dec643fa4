from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from accounts.models import User
from schedules import services

# Found by config.celery. Guardians whose children have unregistered care days after the lock:
# once a week.
PERIODIC_TASKS = {
    "schedules-reminders": {
        "task": "schedules.tasks.schedule_reminders_enqueue",
        "schedule": crontab(day_of_week="mon", hour=9, minute=0),
    },
}


@shared_task
def schedule_reminders_enqueue() -> int:
    """Celery beat, weekly: one reminder task per guardian with unregistered days after the lock."""
    guardian_ids = services.schedule_reminders_due(today=timezone.localdate())
    # Each reminder is stored in the outbox by schedule_reminder_send (marked once per week), so
    # this runs them here rather than fanning out one more task per guardian.
    sent = 0
    for guardian in User.objects.filter(pk__in=guardian_ids, is_active=True):
        sent += services.schedule_reminder_send(guardian=guardian)
    return sent


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def schedule_reminder_send(guardian_id: int) -> bool:
    guardian = User.objects.filter(pk=guardian_id, is_active=True).first()
    if guardian is None:
        return False
    return services.schedule_reminder_send(guardian=guardian)
