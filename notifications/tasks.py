from celery import shared_task
from celery.schedules import crontab

from notifications import services

# Found by config.celery (every app's tasks.py may declare PERIODIC_TASKS).
PERIODIC_TASKS = {
    # What could not be delivered at once (broker or mail server down) goes out here.
    "notifications-outbox-retry": {
        "task": "notifications.tasks.deliver_outbox_due",
        "schedule": crontab(minute="*"),
    },
}


@shared_task(ignore_result=True)
def deliver_outbox_message(message_id: int) -> bool:
    return services.outbox_deliver(message_id=message_id)


@shared_task(ignore_result=True)
def deliver_outbox_due() -> int:
    return services.outbox_deliver_due()
