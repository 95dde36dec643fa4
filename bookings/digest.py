"""Tomorrow's booked talks in the evening digest. One query."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.selectors import bookings_for_children
from notifications.digest import DigestItem


def digest_items(*, children, day):
    start = timezone.make_aware(datetime.combine(day, time.min))
    items = []
    for b in bookings_for_children(child_ids=[c.id for c in children], start=start, end=start + timedelta(days=1)):
        local = timezone.localtime(b.slot.starts_at)
        where = b.slot.place or (_("video") if b.slot.video_url else "")
        items.append(
            DigestItem(
                child_id=b.child_id,
                section=_("Utvecklingssamtal"),
                text=f"{local:%H:%M} {b.round.title}" + (f", {where}" if where else ""),
                at=local.time(),
                order=10,
            )
        )
    return items
