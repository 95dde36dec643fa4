from celery import shared_task

from portfolio import services

# No periodic work: renditions are made when a file arrives.
PERIODIC_TASKS: dict = {}


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True)
def process_media(media_id: int) -> str | None:
    """Re-encode one uploaded photo (or give a video its poster); never run in a request."""
    media = services.media_process(media_id=media_id)
    return media.state if media else None
