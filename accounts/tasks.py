from celery import shared_task
from celery.schedules import crontab

from accounts import services
from accounts.models import User


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_activation_email(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id).first()
    if user is None or not services.user_needs_activation(user=user):
        return False
    services.user_activation_email_send(user=user)
    return True


# Found by config.celery: retention runs monthly, on the 1st at 03:00 Stockholm time.
PERIODIC_TASKS = {
    "accounts-retention": {
        "task": "accounts.tasks.retention_apply",
        "schedule": crontab(day_of_month="1", hour=3, minute=0),
    },
}


@shared_task(ignore_result=True)
def retention_apply() -> int:
    from accounts.retention import retention_run

    return sum(line.count for line in retention_run(dry_run=False))
