"""Demo messages: Anna asks Elias's mentor in 3B about the excursion and the mentor answers
(written through the services, so the notifications are there too)."""

from __future__ import annotations

import random
from datetime import date

from accounts.models import User
from messaging import services
from notifications.demo import outbox_mark, quiet
from roster.models import Child, GroupStaff
from roster.policy import viewer_build


def seed(*, today: date, rng: random.Random) -> None:
    mark = outbox_mark()
    try:
        _seed(today=today)
    finally:
        quiet(since_outbox_pk=mark)


def _seed(*, today: date) -> None:
    anna = User.objects.filter(email="anna.andersson@example.se").first()
    mentor = User.objects.filter(email="larare.3b@example.se").first()
    elias = Child.objects.filter(given_name="Elias", family_name="Andersson").first()
    if not (anna and mentor and elias) or not GroupStaff.objects.filter(user=mentor).exists():
        return
    conversation = services.conversation_start_by_family(
        viewer=viewer_build(anna, on=today),
        child_id=elias.pk,
        recipient_ids=[mentor.pk],
        subject="Utflykten på torsdag",
        body="Hej! Behöver Elias ha med sig matsäck till utflykten, eller bjuder skolan på lunch?",
    )
    services.message_reply(
        viewer=viewer_build(mentor, on=today),
        conversation=conversation,
        body="Hej Anna! Skolan ordnar lunch, men ta gärna med vattenflaska och kläder efter väder.",
    )
