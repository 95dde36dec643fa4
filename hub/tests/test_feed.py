"""The family iCal feed: secret, revocable address; every child's events prefixed with the
child's name; parses as RFC 5545 with a VTIMEZONE; stable UIDs; 304 on a matching ETag;
constant queries."""

from datetime import time, timedelta

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bookings import services as booking_services
from bookings.models import Slot
from hub import feed
from hub.models import Event
from roster.policy import viewer_build
from tests.budgets import VIEWER


@pytest.fixture
def anna_feed(personas):
    token = feed.feed_token_regenerate(user=personas["guardian"])
    return reverse("hub:feed-ics", args=[token.token])


def _events(response):
    cal = icalendar.Calendar.from_ical(response.content)
    return cal, cal.walk("VEVENT")


@pytest.mark.django_db
def test_feed_parses_with_timezone_and_child_prefixes(anna_feed, demo, personas):
    # A booked talk for Elias, to be in the feed too.
    mentor, anna = personas["teacher"], personas["guardian"]
    day = timezone.localdate() + timedelta(days=9)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    talk_round = booking_services.round_publish(
        viewer=viewer_build(mentor),
        group_id=demo["3b"].pk,
        title="Samtal i flödet",
        day=day,
        first_start=time(8, 0),
        last_end=time(8, 20),
        minutes=20,
        place="Rum 12",
        deadline=timezone.now() + timedelta(days=3),
    )
    slot = Slot.objects.get(round=talk_round)
    booking_services.booking_book(viewer=viewer_build(anna), slot_id=slot.pk, child_id=demo["elias"].pk)
    response = Client().get(anna_feed)  # no session: the token is the key
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal, events = _events(response)
    assert cal["VERSION"] == "2.0"
    [tz] = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Stockholm" and tz.walk("DAYLIGHT") and tz.walk("STANDARD")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert all(s.startswith(("Alva: ", "Elias: ")) for s in summaries)
    assert any(s.startswith("Alva: Omsorg") for s in summaries)  # care times (förskola)
    assert any(s == "Elias: Matematik" for s in summaries)  # lessons
    assert "Alva: Planeringsdag – förskolan stängd" in summaries  # closed day (roster.ClosedPeriod)
    assert "Elias: Jullov" in summaries and "Alva: Jullov" not in summaries  # lov: school, not förskola
    talk = next(e for e in events if str(e["SUMMARY"]) == "Elias: Samtal i flödet")
    assert talk.decoded("DTSTART") == slot.starts_at and str(talk["LOCATION"]) == "Rum 12"
    assert str(talk["DTSTART"].params.get("TZID")) == "Europe/Stockholm"
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))  # unique within the feed
    assert "Bella" not in response.content.decode()


@pytest.mark.django_db
def test_uids_are_stable_and_an_unchanged_feed_answers_304(anna_feed, demo):
    client = Client()
    first = client.get(anna_feed)
    second = client.get(anna_feed)
    assert [str(e["UID"]) for e in _events(first)[1]] == [str(e["UID"]) for e in _events(second)[1]]
    assert first["ETag"] == second["ETag"]
    not_modified = client.get(anna_feed, HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304 and not_modified.content == b""
    # A change (an edited event) changes the ETag; the event keeps its UID.
    event = demo["solrosen_event"]
    uid = f"hub-event-{event.pk}-c{demo['alva'].pk}@skolhubb"
    Event.objects.filter(pk=event.pk).update(title="Planeringsdag (flyttad)", updated_at=timezone.now())
    changed = client.get(anna_feed, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    moved = next(e for e in _events(changed)[1] if str(e["UID"]) == uid)
    assert str(moved["SUMMARY"]) == "Alva: Planeringsdag (flyttad)"


@pytest.mark.django_db
def test_revoke_and_regenerate(client_for, personas):
    guardian = client_for("guardian")
    guardian.post(reverse("hub:feed"), {"action": "regenerate"})
    old = feed.feed_token_for(user=personas["guardian"]).token
    assert Client().get(reverse("hub:feed-ics", args=[old])).status_code == 200
    guardian.post(reverse("hub:feed"), {"action": "regenerate"})
    new = feed.feed_token_for(user=personas["guardian"]).token
    assert new != old
    assert Client().get(reverse("hub:feed-ics", args=[old])).status_code == 404
    page = guardian.get(reverse("hub:feed")).content.decode()
    assert "webcal://" in page and new in page
    guardian.post(reverse("hub:feed"), {"action": "revoke"})
    assert Client().get(reverse("hub:feed-ics", args=[new])).status_code == 404
    assert Client().get(reverse("hub:feed-ics", args=["gissning"])).status_code == 404
    assert client_for("teacher").post(reverse("hub:feed"), {"action": "regenerate"}).status_code == 403


@pytest.mark.django_db
def test_feed_queries_do_not_grow_with_rows(anna_feed, demo, django_assert_num_queries):
    # token+user, the viewer; hub events 1 and closed periods/lov 1 (roster.calendar); care 4
    # (placements, bases, day changes, closed days); lessons 2 (lessons, closed days) and
    # weekly-plan items 1; bookings 1.
    budget = 1 + VIEWER + 2 + 4 + 2 + 1 + 1
    client = Client()
    with django_assert_num_queries(budget):
        small = client.get(anna_feed)
    today = timezone.localdate()
    Event.objects.bulk_create(
        Event(
            title=f"Händelse {i}",
            unit=demo["norrskolan"],
            start_date=today + timedelta(days=i),
            end_date=today + timedelta(days=i),
        )
        for i in range(40)
    )
    with django_assert_num_queries(budget):
        large = client.get(anna_feed)
    assert len(_events(large)[1]) >= len(_events(small)[1]) + 40


@pytest.mark.django_db
def test_feed_carries_the_weekly_plan_items(anna_feed):
    # The demo's 3B plan has "Gympakläder" to bring tomorrow (Elias).
    body = Client().get(anna_feed).content.decode()
    assert "Elias: Ta med: Gympakläder" in body.replace("\r\n ", "")
