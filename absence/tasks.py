from datetime import date

from celery import shared_task

from absence import notifications


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_same_day_notice(child_id: int, day: str) -> bool:
    """At most one e-mail per child and day; later registrations that day send nothing more."""
    return notifications.same_day_notice_send(child_id=child_id, day=date.fromisoformat(day))


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_next_morning_prompts() -> int:
    """Celery beat, 07:00 Europe/Stockholm on weekdays; does nothing on a holiday."""
    return notifications.next_morning_prompts_send()


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_leave_email(application_id: int, kind: str) -> int:
    return notifications.leave_email_send(application_id=application_id, kind=kind)
