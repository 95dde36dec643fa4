from celery import shared_task
from celery.schedules import crontab

# Account e-mails (activation, e-mail change) go through the outbox
# (notifications.services.outbox_email_enqueue) and need no task of their own.

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
