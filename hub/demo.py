"""Demo family feed: Anna has a calendar subscription (its address is printed by seed_demo)."""

from __future__ import annotations

import random
from datetime import date

from accounts.models import User
from hub.feed import feed_token_regenerate, feed_urls

FEED_DEMO_USER = "anna.andersson@example.se"


def seed(*, today: date, rng: random.Random) -> None:
    anna = User.objects.filter(email=FEED_DEMO_USER).first()
    if anna is not None:
        feed_token_regenerate(user=anna)


def describe() -> list[str]:
    """Lines for seed_demo's output."""
    from hub.feed import feed_token_for

    anna = User.objects.filter(email=FEED_DEMO_USER).first()
    token = feed_token_for(user=anna) if anna else None
    if token is None:
        return []
    https, webcal = feed_urls(token.token)
    return [f"Annas kalenderflöde (iCal): {webcal}", f"  (samma som {https})"]
