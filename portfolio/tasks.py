from celery import shared_task
from celery.schedules import crontab

from portfolio import services

PERIODIC_TASKS = {
    # Uploads never attached to an entry or post (the form was abandoned): removed after a day.
    "portfolio-abandoned-uploads": {
        "task": "portfolio.tasks.remove_abandoned_uploads",
        "schedule": crontab(hour=3, minute=15),
    },
}


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def process_media(media_id: int) -> str | None:
    """Re-encode one uploaded photo (or give a video its poster); never run in a request."""
    media = services.media_process(media_id=media_id)
    return media.state if media else None


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def remove_abandoned_uploads() -> int:
    return services.media_abandoned_remove()
