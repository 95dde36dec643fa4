"""Demo data sends no e-mail or push: the notifications and outbox messages the later demo
seeders write through the services stay in the app only (see `quiet`)."""

from __future__ import annotations

import random
from datetime import date


def seed(*, today: date, rng: random.Random) -> None:
    """Nothing of its own; the other apps' seeders call `quiet` when they are done."""


def quiet(*, since_outbox_pk: int) -> None:
    """Mark the demo's notifications as routed (no e-mail, no push) and drop the demo's
    pending outbox messages written after `since_outbox_pk`."""
    from django.utils import timezone

    from notifications.models import Notification, OutboxMessage

    Notification.objects.filter(dispatched_at__isnull=True).update(dispatched_at=timezone.now(), email_due=False)
    OutboxMessage.objects.filter(pk__gt=since_outbox_pk, state=OutboxMessage.State.PENDING).delete()


def outbox_mark() -> int:
    from notifications.models import OutboxMessage

    return OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
