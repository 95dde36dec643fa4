"""Booked development talks in the family feed. One query."""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone

from bookings.ics import booking_event
from bookings.selectors import bookings_for_children


def feed_events(*, children, start, end):
    begin = timezone.make_aware(datetime.combine(start, time.min))
    finish = timezone.make_aware(datetime.combine(end, time.max))
    return [
        booking_event(
            booking_id=b.pk,
            round_id=b.round_id,
            child_id=b.child_id,
            title=b.round.title,
            starts_at=b.slot.starts_at,
            ends_at=b.slot.ends_at,
            place=b.slot.place,
            video_url=b.slot.video_url,
            stamp=b.updated_at,
        )
        for b in bookings_for_children(child_ids=[c.id for c in children], start=begin, end=finish)
    ]
