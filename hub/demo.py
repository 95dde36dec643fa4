"""Demo family feed: Anna has a calendar subscription (its address is printed by seed_demo)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from accounts.models import User
from hub.feed import feed_token_regenerate, feed_urls
from hub.models import Event
from hub.services import event_update

FEED_DEMO_USER = "anna.andersson@example.se"


def seed(*, today: date, rng: random.Random) -> None:
    anna = User.objects.filter(email=FEED_DEMO_USER).first()
    if anna is not None:
        feed_token_regenerate(user=anna)
    _moved_excursion(today)


def _moved_excursion(today: date) -> None:
    """3B's excursion moves from Tuesday to Thursday next week: the families get a change
    notification ("Utflykt flyttad från tisdag till torsdag") through the real service."""
    from notifications.demo import outbox_mark, quiet
    from roster.models import Group
    from roster.policy import viewer_build

    mentor = User.objects.filter(email="larare.3b@example.se").first()
    group = Group.objects.select_related("unit").filter(name="3B", unit__code="DEMO-NORRSKOLAN").first()
    if mentor is None or group is None:
        return
    tuesday = today + timedelta(days=7 - today.weekday() + 1)
    mark = outbox_mark()
    event = Event.objects.create(
        title="Utflykt",
        description="Till Naturhistoriska riksmuseet. Matsäck och vattenflaska.",
        event_type=Event.Type.UTFLYKT,
        unit=group.unit,
        group=group,
        start_date=tuesday,
        end_date=tuesday,
        created_by=mentor,
    )
    event_update(
        viewer=viewer_build(mentor, on=today),
        event=event,
        title=event.title,
        description=event.description,
        event_type=event.event_type,
        audience=f"group:{group.pk}",
        all_day=True,
        start_date=tuesday + timedelta(days=2),
    )
    quiet(since_outbox_pk=mark)


def describe() -> list[str]:
    """Lines for seed_demo's output."""
    from hub.feed import feed_token_for

    anna = User.objects.filter(email=FEED_DEMO_USER).first()
    token = feed_token_for(user=anna) if anna else None
    if token is None:
        return []
    https, webcal = feed_urls(token.token)
    return [f"Annas kalenderflöde (iCal): {webcal}", f"  (samma som {https})"]
