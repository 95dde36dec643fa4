"""A booking as an .ics attachment (and as a feed event): the same UID in both, so a
calendar that has the feed and the mail's file shows one talk."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from hub.feed import FeedEvent, ics_for_events


def booking_uid(*, round_id: int, child_id: int) -> str:
    # Stable when the talk is moved to another slot: calendars update the event.
    return f"bookings-talk-{round_id}"


def booking_event(
    *, booking_id, round_id, child_id, title, starts_at, ends_at, place, video_url, stamp=None
) -> FeedEvent:
    location = place or video_url
    description = _("Videolänk: %(url)s") % {"url": video_url} if video_url else ""
    return FeedEvent(
        uid=booking_uid(round_id=round_id, child_id=child_id),
        child_id=child_id,
        summary=title,
        start=starts_at,
        end=ends_at,
        location=location,
        description=description,
        url=settings.SKOLHUBB_SITE_URL.rstrip("/") + "/utvecklingssamtal/",
        stamp=stamp,
    )


def booking_ics(booking) -> str:
    slot = booking.slot
    event = booking_event(
        booking_id=booking.pk,
        round_id=booking.round_id,
        child_id=booking.child_id,
        title=booking.round.title,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        place=slot.place,
        video_url=slot.video_url,
        stamp=booking.updated_at,
    )
    return ics_for_events(name=_("Utvecklingssamtal"), events=[(event, booking.child.given_name)]).decode("utf-8")
