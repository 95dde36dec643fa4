"""Change notifications, not only "new": a moved calendar event tells the families what
changed ("Utflykt flyttad från tisdag till torsdag")."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from hub import services
from hub.models import Event
from notifications.changes import moved_text
from notifications.models import Notification
from roster.policy import viewer_build


@pytest.mark.django_db
def test_a_moved_excursion_tells_the_groups_families_what_changed(personas, demo):
    event = Event.objects.create(
        title="Utflykt",
        event_type=Event.Type.UTFLYKT,
        unit=demo["norrskolan"],
        group=demo["3b"],
        start_date=date(2026, 11, 24),
        end_date=date(2026, 11, 24),
    )
    fields = dict(
        viewer=viewer_build(personas["teacher"]),
        event=event,
        title="Utflykt",
        description="",
        event_type=Event.Type.UTFLYKT,
        audience=f"group:{demo['3b'].pk}",
        all_day=True,
    )
    services.event_update(**fields, start_date=date(2026, 11, 24))  # nothing moved: nobody told
    assert not Notification.objects.filter(kind="hub.event_changed", source_id=str(event.pk)).exists()
    services.event_update(**fields, start_date=date(2026, 11, 26))
    told = Notification.objects.filter(kind="hub.event_changed", source_id=str(event.pk))
    assert {n.title for n in told} == {"Utflykt flyttad från tisdag till torsdag"}
    emails = set(told.values_list("recipient__email", flat=True))
    assert {"anna.andersson@example.se", "bo.berg@example.se"} <= emails
    assert "carin.carlsson@example.se" not in emails  # not in 3B


def test_moved_text_says_just_enough():
    today = date(2026, 11, 23)
    tz = timezone.get_current_timezone()
    at = lambda d, h, m=0: datetime.combine(d, time(h, m), tzinfo=tz)  # noqa: E731
    assert moved_text(what="Samtalet", old=at(today, 14), new=at(today, 15), today=today) == (
        "Samtalet flyttad från 14:00 till 15:00"
    )
    assert moved_text(what="Samtalet", old=at(date(2026, 11, 24), 14), new=at(date(2026, 11, 26), 14), today=today) == (
        "Samtalet flyttad från tisdag till torsdag"
    )
    assert moved_text(what="Mötet", old=date(2026, 11, 24), new=date(2026, 12, 15), today=today) == (
        "Mötet flyttad från tisdag till tisdag 15 december"
    )
