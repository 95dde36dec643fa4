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
    # Notifications whose after-commit routing was missed (broker down) are routed here.
    "notifications-dispatch": {
        "task": "notifications.tasks.dispatch_notifications",
        "schedule": crontab(minute="*"),
    },
    # One e-mail per person with what is new, not one per event.
    "notifications-email-batch": {
        "task": "notifications.tasks.email_batch",
        "schedule": crontab(minute="*/15"),
    },
    # The evening digest: people choose a quarter hour.
    "notifications-digest": {
        "task": "notifications.tasks.send_digests",
        "schedule": crontab(minute="*/15"),
    },
}


@shared_task(ignore_result=True)
def deliver_outbox_message(message_id: int) -> bool:
    return services.outbox_deliver(message_id=message_id)


@shared_task(ignore_result=True)
def deliver_outbox_due() -> int:
    return services.outbox_deliver_due()


@shared_task(ignore_result=True)
def dispatch_notifications() -> int:
    from notifications.delivery import notifications_dispatch

    return notifications_dispatch()


@shared_task(ignore_result=True)
def email_batch() -> int:
    from notifications.delivery import notifications_email_batch

    return notifications_email_batch()


@shared_task(ignore_result=True)
def send_digests() -> int:
    from notifications.digest import digest_send_due

    return digest_send_due()
