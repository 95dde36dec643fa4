from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

from hub import selectors
from roster.models import Placement, active_q

# Found by config.celery. Every box key holds the date, so without this every family's first
# Hub of the day (07:30, the morning's peak) would load and render all its boxes.
PERIODIC_TASKS = {
    "hub-warm-family-boxes": {
        "task": "hub.tasks.warm_family_boxes",
        "schedule": crontab(hour=5, minute=30),
    },
}

# Children per bulk load: each box runs one query per batch (Box.queries).
BATCH = 200


@shared_task
def warm_family_boxes() -> int:
    """Celery beat, every morning before the families wake: the Hub's boxes of every child
    placed today, cached as the family's first Hub would cache them (hub.selectors.
    warm_family_boxes). Returns the entries stored."""
    child_ids = sorted(
        set(Placement.objects.filter(active_q(on=timezone.localdate())).values_list("child_id", flat=True))
    )
    return sum(selectors.warm_family_boxes(child_ids=child_ids[i : i + BATCH]) for i in range(0, len(child_ids), BATCH))
