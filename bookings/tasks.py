from celery import shared_task
from celery.schedules import crontab

PERIODIC_TASKS = {
    # The day-before reminder (with the .ics), in the afternoon so it is read in time.
    "bookings-reminders": {"task": "bookings.tasks.send_reminders", "schedule": crontab(minute=0, hour="15-20")},
}


@shared_task(ignore_result=True)
def send_reminders() -> int:
    from bookings.services import reminders_send

    return reminders_send()
