"""The evening digest: one e-mail per family with tomorrow for each child, from the apps'
contributions (notifications knows none of them); empty days send nothing; opt-in, at the
chosen time, once."""

from datetime import date, datetime, time

import pytest
from django.core import mail
from django.utils import timezone

from hub.models import Event
from notifications import digest
from notifications.models import NotificationSettings, OutboxMessage
from notifications.services import outbox_deliver_due
from roster.models import Child
from roster.policy import viewer_build
from schedules.models import DayEntry

# The suite's Monday; the digest is sent Monday evening about Tuesday 24 November 2026.
MONDAY = date(2026, 11, 23)
TUESDAY = date(2026, 11, 24)


@pytest.fixture
def carin(db):
    from accounts.models import User

    return User.objects.get(email="carin.carlsson@example.se")


@pytest.fixture
def carins_tuesday(carin):
    """Cornelia (förskola) 08:00–15:30, Cleo (1A + fritids) fritids 13:30–16:30, an excursion
    for Casper's 6A."""
    kids = {c.given_name: c for c in Child.objects.filter(family_name="Carlsson", guardianships__guardian=carin)}
    DayEntry.objects.update_or_create(
        child=kids["Cornelia"],
        date=TUESDAY,
        defaults={"kind": DayEntry.Kind.TIMES, "start_time": time(8), "end_time": time(15, 30)},
    )
    DayEntry.objects.update_or_create(
        child=kids["Cleo"],
        date=TUESDAY,
        defaults={"kind": DayEntry.Kind.TIMES, "start_time": time(13, 30), "end_time": time(16, 30)},
    )
    casper_group = kids["Casper"].placements.get().group
    Event.objects.create(
        title="Utflykt till Tekniska museet",
        event_type=Event.Type.UTFLYKT,
        unit=casper_group.unit,
        group=casper_group,
        start_date=TUESDAY,
        end_date=TUESDAY,
        all_day=False,
        start_time=time(9),
        end_time=time(14),
    )
    return kids


def _lines(content) -> dict[str, list[str]]:
    return {cd.child.name: [f"{i.section}: {i.text}" for i in cd.items] for cd in content}


@pytest.mark.django_db
def test_three_children_on_a_fixed_day(carin, carins_tuesday):
    content = digest.digest_build(viewer=viewer_build(carin), day=TUESDAY)
    lines = _lines(content)
    assert list(lines) == ["Casper", "Cleo", "Cornelia"] or set(lines) == {"Casper", "Cleo", "Cornelia"}
    assert "Omsorg: 08:00–15:30 på Solrosens förskola" in lines["Cornelia"]
    assert "Utflykt: 09:00 Utflykt till Tekniska museet" in lines["Casper"]
    assert any(line.startswith("Skola: ") for line in lines["Casper"])
    assert any(line.startswith("Skola: ") for line in lines["Cleo"])
    assert "Omsorg: 13:30–16:30 på Norrskolans fritidshem" in lines["Cleo"]
    # Each child's day is in a fixed order: calendar, school, care.
    assert lines["Cleo"][0].startswith("Skola") and lines["Cleo"][-1].startswith("Omsorg")


@pytest.mark.django_db
def test_one_mail_per_family_at_the_chosen_time_once(carin, carins_tuesday):
    NotificationSettings.objects.create(user=carin, digest_enabled=True, digest_time=time(18, 0))
    tz = timezone.get_current_timezone()
    assert digest.digest_send_due(now=datetime.combine(MONDAY, time(17, 45), tzinfo=tz)) == 0
    assert digest.digest_send_due(now=datetime.combine(MONDAY, time(18, 0), tzinfo=tz)) == 1
    assert digest.digest_send_due(now=datetime.combine(MONDAY, time(18, 15), tzinfo=tz)) == 0
    message = OutboxMessage.objects.get(dedupe_key=f"digest:{carin.pk}:{TUESDAY}")
    assert message.to == [carin.email]
    assert message.subject == "Imorgon, tisdag 24 november"
    for name in ("Casper", "Cleo", "Cornelia", "Tekniska museet", "08:00–15:30"):
        assert name in message.body_text
    mail.outbox.clear()
    outbox_deliver_due()
    assert [m.to for m in mail.outbox if m.subject.startswith("Imorgon")] == [[carin.email]]


@pytest.mark.django_db
def test_not_opted_in_gets_nothing_and_an_empty_day_sends_nothing(carin, personas):
    tz = timezone.get_current_timezone()
    assert digest.digest_send_due(now=datetime.combine(MONDAY, time(21, 0), tzinfo=tz)) == 0  # nobody opted in
    # Saturday: no school, no care, no events: nothing is sent.
    saturday = date(2026, 11, 28)
    assert digest.digest_build(viewer=viewer_build(carin), day=saturday) == []
    assert digest.digest_send(user=carin, day=saturday) is False
    assert not OutboxMessage.objects.filter(dedupe_key__startswith=f"digest:{carin.pk}:").exists()


@pytest.mark.django_db
def test_weekly_plan_items_join_when_the_teaching_app_provides_them(carin, carins_tuesday, monkeypatch):
    from school import selectors

    casper = carins_tuesday["Casper"]

    def weekly_items_for(*, child_ids, day):
        return {casper.pk: [{"kind": "Ta med", "text": "Gympakläder"}, {"kind": "Läxa", "text": "Glosor kapitel 4"}]}

    monkeypatch.setattr(selectors, "weekly_items_for", weekly_items_for, raising=False)
    lines = _lines(digest.digest_build(viewer=viewer_build(carin), day=TUESDAY))
    assert "Ta med: Gympakläder" in lines["Casper"] and "Läxa: Glosor kapitel 4" in lines["Casper"]


@pytest.mark.django_db
def test_digest_build_queries_do_not_grow(carin, personas, carins_tuesday, django_assert_num_queries, demo):
    # hub events 1; care 4 (placements, bases, day changes, closed days); lessons 2; talks 1
    budget = 1 + 4 + 2 + 1
    anna_viewer, carin_viewer = viewer_build(personas["guardian"]), viewer_build(carin)
    with django_assert_num_queries(budget):
        digest.digest_build(viewer=anna_viewer, day=TUESDAY)  # two children
    with django_assert_num_queries(budget):
        digest.digest_build(viewer=carin_viewer, day=TUESDAY)  # three children
    Event.objects.bulk_create(
        Event(title=f"Händelse {i}", unit=demo["norrskolan"], start_date=TUESDAY, end_date=TUESDAY) for i in range(30)
    )
    with django_assert_num_queries(budget):
        content = digest.digest_build(viewer=carin_viewer, day=TUESDAY)
    assert sum(len(cd.items) for cd in content) >= 30


def test_contributions_come_from_the_apps():
    modules = {fn.__module__ for fn in digest.contributors()}
    assert {"hub.digest", "schedules.digest", "school.digest", "bookings.digest"} <= modules
