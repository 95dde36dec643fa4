"""Development talks: publish, book one slot per child, change and cancel until the
deadline, both guardians told (with an .ics), never double-booked (also under concurrent
bookings on PostgreSQL), the Hub box only when there is something, the day-before reminder."""

import threading
from datetime import datetime, time, timedelta

import icalendar
import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bookings import services
from bookings.models import Booking, Round, Slot
from conftest import require_service
from notifications.models import Notification, OutboxMessage
from notifications.services import outbox_deliver_due
from roster.models import Guardianship
from roster.policy import viewer_build


def _day(days: int):
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@pytest.fixture
def talk_round(personas, demo):
    """A fresh round in 3B ten days ahead, six 20-minute slots, deadline in five days."""
    return services.round_publish(
        viewer=viewer_build(personas["teacher"]),
        group_id=demo["3b"].pk,
        title="Samtal testomgång",
        day=_day(10),
        first_start=time(14, 0),
        last_end=time(16, 0),
        minutes=20,
        place="Klassrum 3B",
        deadline=timezone.now() + timedelta(days=5),
    )


def _slots(talk_round):
    return list(Slot.objects.filter(round=talk_round).order_by("starts_at"))


@pytest.mark.django_db
def test_publish_makes_back_to_back_slots_and_tells_the_families(talk_round, personas):
    slots = _slots(talk_round)
    assert len(slots) == 6
    assert [timezone.localtime(s.starts_at).strftime("%H:%M") for s in slots[:2]] == ["14:00", "14:20"]
    told = set(
        Notification.objects.filter(kind="bookings.published", source_id=str(talk_round.pk)).values_list(
            "recipient__email", flat=True
        )
    )
    assert {"anna.andersson@example.se", "bo.berg@example.se", "dana.dahl@example.se"} <= told


@pytest.mark.django_db
def test_publish_refused_for_a_group_elsewhere_and_bad_input_changes_nothing(personas, demo, client_for):
    with pytest.raises(PermissionDenied):
        services.round_publish(
            viewer=viewer_build(personas["other_staff"]),
            group_id=demo["3b"].pk,
            title="x",
            day=_day(10),
            first_start=time(14, 0),
            last_end=time(15, 0),
            minutes=20,
            place="Rum",
            deadline=timezone.now() + timedelta(days=2),
        )
    before = Round.objects.count()
    response = client_for("teacher").post(
        reverse("bookings:publish"),
        {
            "group": demo["3b"].pk,
            "title": "Samtal",
            "day": _day(10).isoformat(),
            "first_start": "15:00",
            "last_end": "14:00",
            "minutes": 20,
            "place": "Rum",
            "deadline": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200 and "Sluttiden måste vara efter starttiden." in response.content.decode()
    assert Round.objects.count() == before


@pytest.mark.django_db
def test_book_confirms_to_the_guardians_with_an_ics(talk_round, personas, demo, client_for):
    slot = _slots(talk_round)[0]
    response = client_for("guardian").post(reverse("bookings:book", args=[slot.pk]), {"child": demo["elias"].pk})
    assert response.status_code == 302
    booking = Booking.objects.get(slot=slot)
    assert booking.child == demo["elias"]
    message = OutboxMessage.objects.filter(
        to=["anna.andersson@example.se"], subject__startswith="Utvecklingssamtal bokat"
    ).latest("pk")
    [attachment] = message.attachments
    cal = icalendar.Calendar.from_ical(attachment["content"])
    [event] = cal.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Elias: Samtal testomgång"
    assert event.decoded("DTSTART") == slot.starts_at
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Stockholm"
    # The mentor is told too (in-app).
    assert Notification.objects.filter(recipient=personas["teacher"], kind="bookings.booking").exists()


@pytest.mark.django_db
def test_a_booked_slot_cannot_be_booked_again_and_a_child_has_one_slot_per_round(talk_round, personas, demo):
    first, second = _slots(talk_round)[:2]
    services.booking_book(viewer=viewer_build(personas["guardian"]), slot_id=first.pk, child_id=demo["elias"].pk)
    with pytest.raises(ValidationError) as exc:
        services.booking_book(
            viewer=viewer_build(personas["other_guardian"]), slot_id=first.pk, child_id=demo["bella"].pk
        )
    assert "redan bokad" in str(exc.value)
    # Booking another slot for the same child moves the booking (one per child and round).
    services.booking_book(viewer=viewer_build(personas["guardian"]), slot_id=second.pk, child_id=demo["elias"].pk)
    assert list(Booking.objects.filter(round=talk_round).values_list("slot_id", flat=True)) == [second.pk]


@pytest.mark.django_db
def test_change_tells_what_changed_and_both_guardians_see_it(talk_round, personas, demo, client_for):
    erik = User.objects.create_user("erik.andersson@example.se", first_name="Erik", last_name="Andersson")
    Guardianship.objects.create(guardian=erik, child=demo["elias"], start_date=timezone.localdate() - timedelta(days=9))
    first, second = _slots(talk_round)[:2]
    services.booking_book(viewer=viewer_build(personas["guardian"]), slot_id=first.pk, child_id=demo["elias"].pk)
    services.booking_book(viewer=viewer_build(personas["guardian"]), slot_id=second.pk, child_id=demo["elias"].pk)
    moved = Notification.objects.filter(recipient=erik, kind="bookings.booking").latest("pk")
    assert moved.title == "Utvecklingssamtalet för Elias flyttad från 14:00 till 14:20"
    from django.test import Client

    page = Client()
    page.force_login(erik)
    text = page.get(reverse("bookings:overview")).content.decode()
    assert "Bokat:" in text and "14:20" in text


@pytest.mark.django_db
def test_the_mentor_moving_a_slot_tells_the_family_the_new_day(talk_round, personas, demo):
    slot = _slots(talk_round)[0]
    services.booking_book(viewer=viewer_build(personas["other_guardian"]), slot_id=slot.pk, child_id=demo["bella"].pk)
    new = slot.starts_at + timedelta(days=2, hours=1)
    services.slot_move(viewer=viewer_build(personas["teacher"]), slot_id=slot.pk, starts_at=new)
    told = Notification.objects.filter(recipient=personas["other_guardian"], kind="bookings.booking").latest("pk")
    old_day = timezone.localtime(slot.starts_at)
    assert told.title.startswith("Utvecklingssamtalet för Bella flyttad från ")
    assert f"{old_day:%H:%M}" in told.title and f"{timezone.localtime(new):%H:%M}" in told.title


@pytest.mark.django_db
def test_cancel_until_the_deadline_only(talk_round, personas, demo, client_for):
    slot = _slots(talk_round)[0]
    booking = services.booking_book(
        viewer=viewer_build(personas["guardian"]), slot_id=slot.pk, child_id=demo["elias"].pk
    )
    assert client_for("other_guardian").post(reverse("bookings:cancel", args=[booking.pk])).status_code == 302
    assert Booking.objects.filter(pk=booking.pk).exists()  # not Bo's child: refused
    with time_machine.travel(talk_round.deadline + timedelta(minutes=1)):
        with pytest.raises(ValidationError):
            services.booking_cancel(viewer=viewer_build(personas["guardian"]), booking_id=booking.pk)
        with pytest.raises(ValidationError):
            services.booking_book(
                viewer=viewer_build(personas["guardian"]), slot_id=_slots(talk_round)[1].pk, child_id=demo["elias"].pk
            )
    services.booking_cancel(viewer=viewer_build(personas["guardian"]), booking_id=booking.pk)
    assert not Booking.objects.filter(pk=booking.pk).exists()


@pytest.mark.django_db
def test_students_and_other_groups_cannot_book(talk_round, personas, demo, client_for):
    slot = _slots(talk_round)[0]
    assert (
        client_for("student").post(reverse("bookings:book", args=[slot.pk]), {"child": demo["elias"].pk}).status_code
        == 403
    )
    with pytest.raises(ValidationError):  # Alva is not in 3B
        services.booking_book(viewer=viewer_build(personas["guardian"]), slot_id=slot.pk, child_id=demo["alva"].pk)
    assert not Booking.objects.filter(slot=slot).exists()


@pytest.mark.django_db
def test_hub_box_only_when_bookable_or_booked(talk_round, personas, demo, client_for):
    from bookings.selectors import box_for_children

    anna_viewer = viewer_build(personas["guardian"])
    data = box_for_children(children=anna_viewer.children)
    assert demo["elias"].pk in data and demo["alva"].pk not in data  # Alva's group has no slots
    assert any(r["title"] == "Samtal testomgång" for r in data[demo["elias"].pk]["bookable"])
    assert "Utvecklingssamtal" in client_for("guardian").get(reverse("hub:dashboard")).content.decode()
    # Past the deadline, without a booking: nothing to show.
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        assert box_for_children(children=anna_viewer.children) == {}
    slot = _slots(talk_round)[0]
    services.booking_book(viewer=anna_viewer, slot_id=slot.pk, child_id=demo["elias"].pk)
    data = box_for_children(children=viewer_build(personas["guardian"]).children)
    assert [b["starts_at"] for b in data[demo["elias"].pk]["bookings"]] == [slot.starts_at]


@pytest.mark.django_db
def test_reminder_the_day_before_with_the_ics_once(talk_round, personas, demo):
    slot = _slots(talk_round)[0]
    services.booking_book(viewer=viewer_build(personas["guardian"]), slot_id=slot.pk, child_id=demo["elias"].pk)
    day_before = timezone.make_aware(
        datetime.combine(timezone.localtime(slot.starts_at).date() - timedelta(days=1), time(17, 0))
    )
    booking = Booking.objects.get(slot=slot)
    services.reminders_send(now=day_before - timedelta(days=1))
    booking.refresh_from_db()
    assert booking.reminder_sent_at is None  # two days before: not yet
    assert services.reminders_send(now=day_before) >= 1  # (the demo's talk that day is reminded too)
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None
    assert services.reminders_send(now=day_before) == 0  # once
    message = OutboxMessage.objects.get(
        dedupe_key=f"talk-reminder:{booking.pk}:{timezone.localtime(slot.starts_at).date()}"
    )
    assert message.to == ["anna.andersson@example.se"]
    assert message.subject == "Påminnelse: utvecklingssamtal för Elias imorgon 14:00"
    assert message.attachments[0]["name"] == "utvecklingssamtal.ics"
    mail.outbox.clear()
    outbox_deliver_due()
    sent = [m for m in mail.outbox if m.subject.startswith("Påminnelse")]
    assert sent and sent[0].attachments[0][0] == "utvecklingssamtal.ics"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_slot_on_postgresql():
    """Eight guardians press "Boka" on the same slot at the same moment: one gets it."""
    require_service(connection.vendor == "postgresql", "PostgreSQL")
    from demo.seed import seed_demo

    seed_demo()
    mentor = User.objects.get(email="larare.3b@example.se")
    from roster.models import Group, Placement, active_q

    group = Group.objects.get(name="3B", unit__code="DEMO-NORRSKOLAN")
    talk_round = services.round_publish(
        viewer=viewer_build(mentor),
        group_id=group.pk,
        title="Racet",
        day=_day(10),
        first_start=time(9, 0),
        last_end=time(9, 20),
        minutes=20,
        place="Rum",
        deadline=timezone.now() + timedelta(days=3),
    )
    [slot] = _slots(talk_round)
    families = []
    for placement in Placement.objects.filter(active_q(), group=group).select_related("child")[:8]:
        guardian = Guardianship.objects.filter(child=placement.child).select_related("guardian").first()
        if guardian:
            families.append((guardian.guardian, placement.child))
    assert len(families) >= 4
    barrier = threading.Barrier(len(families))
    results = []

    def book(user, child):
        from django.db import connection as conn

        viewer = viewer_build(user)
        barrier.wait()
        try:
            services.booking_book(viewer=viewer, slot_id=slot.pk, child_id=child.pk)
            results.append("ok")
        except ValidationError:
            results.append("taken")
        finally:
            conn.close()

    threads = [threading.Thread(target=book, args=pair) for pair in families]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok"] + ["taken"] * (len(families) - 1)
    assert Booking.objects.filter(slot=slot).count() == 1


@pytest.mark.django_db
def test_the_hub_shows_a_new_booking_at_once(talk_round, personas, demo, client_for):
    guardian = client_for("guardian")
    guardian.get(reverse("hub:dashboard"))
    guardian.get(reverse("hub:dashboard"))  # warm
    slot = _slots(talk_round)[0]
    services.booking_book(viewer=viewer_build(personas["guardian"]), slot_id=slot.pk, child_id=demo["elias"].pk)
    page = guardian.get(reverse("hub:dashboard")).content.decode()
    local = timezone.localtime(slot.starts_at)
    assert f"{local:%H:%M}" in page and "Samtal testomgång" in page


@pytest.mark.django_db
def test_another_familys_hub_shows_one_free_time_fewer_at_once(talk_round, personas, demo, client_for):
    """Bo's child is in 3B too: when Anna books, Bo's cached box must count one free time
    fewer on his next load (the booking bumps the group, not only Anna's child)."""
    bo = client_for("other_guardian")
    bo.get(reverse("hub:dashboard"))
    assert "Samtal testomgång: 6 lediga tider" in bo.get(reverse("hub:dashboard")).content.decode()  # warm
    slot = _slots(talk_round)[0]
    booking = services.booking_book(
        viewer=viewer_build(personas["guardian"]), slot_id=slot.pk, child_id=demo["elias"].pk
    )
    assert "Samtal testomgång: 5 lediga tider" in bo.get(reverse("hub:dashboard")).content.decode()
    services.booking_cancel(viewer=viewer_build(personas["guardian"]), booking_id=booking.pk)
    assert "Samtal testomgång: 6 lediga tider" in bo.get(reverse("hub:dashboard")).content.decode()


@pytest.mark.django_db
def test_hub_box_in_one_query_with_the_bookings_in_time_order(talk_round, personas, demo, django_assert_num_queries):
    """A child booked in two rounds (the later talk booked first) sees both in time order; the
    other round's free slots are counted apart; one query for all the children."""
    from bookings.selectors import box_for_children

    anna = viewer_build(personas["guardian"])
    earlier = services.round_publish(
        viewer=viewer_build(personas["teacher"]),
        group_id=demo["3b"].pk,
        title="Samtal före",
        day=_day(7),
        first_start=time(8, 0),
        last_end=time(9, 0),
        minutes=20,
        place="Klassrum 3B",
        deadline=timezone.now() + timedelta(days=4),
    )
    later_slot, earlier_slot = _slots(talk_round)[1], _slots(earlier)[2]
    services.booking_book(viewer=anna, slot_id=later_slot.pk, child_id=demo["elias"].pk)
    services.booking_book(viewer=anna, slot_id=earlier_slot.pk, child_id=demo["elias"].pk)
    children = viewer_build(personas["guardian"]).children
    with django_assert_num_queries(1):
        data = box_for_children(children=children)
    elias = data[demo["elias"].pk]
    assert [(b["title"], b["starts_at"]) for b in elias["bookings"]] == [
        ("Samtal före", earlier_slot.starts_at),
        ("Samtal testomgång", later_slot.starts_at),
    ]
    assert not {r["title"] for r in elias["bookable"]} & {"Samtal före", "Samtal testomgång"}  # booked: not offered
    bella = box_for_children(children=viewer_build(personas["other_guardian"]).children)[demo["bella"].pk]
    assert {r["title"]: r["open"] for r in bella["bookable"]}.items() >= {
        "Samtal före": 2,
        "Samtal testomgång": 5,
    }.items()
