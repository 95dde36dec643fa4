from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.models import Event
from hub.testing import hub_board


def _form(demo, **overrides):
    today = timezone.localdate()
    data = {
        "title": "Föräldramöte 3B",
        "event_type": "foraldramote",
        "audience": f"group:{demo['3b'].pk}",
        "start_date": today.isoformat(),
        "end_date": "",
        "start_time": "18:00",
        "end_time": "19:00",
        "description": "I klassrummet.",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_teacher_adds_an_event_that_families_of_the_group_see(client_for, demo):
    response = client_for("teacher").post(reverse("hub:event-create"), _form(demo))
    assert response.status_code == 302
    event = Event.objects.get(title="Föräldramöte 3B")
    assert event.end_date == event.start_date and not event.all_day
    assert "Föräldramöte 3B" in client_for("guardian").get(reverse("hub:calendar")).content.decode()
    assert "Föräldramöte 3B" not in client_for("other_staff").get(reverse("hub:calendar")).content.decode()


@pytest.mark.django_db
def test_bad_event_input_changes_nothing(client_for, demo):
    teacher = client_for("teacher")
    before = Event.objects.count()
    today = timezone.localdate()
    cases = [
        (_form(demo, title=""), "Rubriken måste fyllas i."),
        (_form(demo, end_date=date(today.year - 1, 1, 1).isoformat()), "Slutdatum kan inte vara före startdatum."),
        (_form(demo, start_time="", all_day=""), "Ange en starttid"),
        (_form(demo, start_time="19:00", end_time="18:00"), "Sluttiden måste vara efter starttiden."),
    ]
    for data, message in cases:
        response = teacher.post(reverse("hub:event-create"), data)
        assert response.status_code == 200
        assert message in response.content.decode(), message
    assert Event.objects.count() == before


@pytest.mark.django_db
def test_month_view_shows_swedish_holidays_and_week_numbers(client_for):
    html = client_for("guardian").get(reverse("hub:calendar") + "?manad=2026-12").content.decode()
    assert "December 2026" in html
    for holiday in ("Julafton", "Juldagen", "Annandag jul", "Nyårsafton"):
        assert holiday in html
    assert ">49</th>" in html and ">53</th>" in html  # ISO weeks of December 2026


@pytest.mark.django_db
def test_bad_month_parameter_falls_back_to_this_month(client_for):
    assert client_for("guardian").get(reverse("hub:calendar") + "?manad=hej").status_code == 200


@pytest.mark.django_db
def test_event_edit_and_delete(client_for, demo):
    event = demo["solrosen_event"]
    pedagog = client_for("other_staff")
    response = pedagog.post(
        reverse("hub:event-edit", args=[event.pk]),
        _form(
            demo,
            title="Planeringsdag",
            audience=f"unit:{demo['solrosen'].pk}",
            event_type="utflykt",
            all_day="on",
            start_time="",
            end_time="",
        ),
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Planeringsdag" and event.all_day and event.start_time is None
    assert client_for("teacher").post(reverse("hub:event-delete", args=[event.pk])).status_code == 404
    assert client_for("guardian").post(reverse("hub:event-delete", args=[event.pk])).status_code == 403
    assert pedagog.post(reverse("hub:event-delete", args=[event.pk])).status_code == 302
    assert not Event.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_the_same_event_for_several_groups_is_shown_once(client_for, demo):
    """The 3B teacher's Norrskolan column: one "Nationellt prov i svenska" naming 3A, 3B, 6A, 9A."""
    response = client_for("teacher").get(reverse("hub:dashboard"))
    html = response.content.decode()
    staff = hub_board(response).staff
    calendar = next(v.data for v in staff[0].boxes if v.box.key == "kalender")
    tests = [e for e in calendar if e["title"] == "Nationellt prov i svenska"]
    assert len(tests) == 1 and "," in tests[0]["audience"] and "3B" in tests[0]["audience"].split(", ")
    assert html.count("Nationellt prov i svenska") == 1
    # Two boxes with the same title get distinct accessible names (the column's name).
    anna = client_for("guardian").get(reverse("hub:dashboard")).content.decode()
    assert 'aria-label="Kalender – Elias Andersson"' in anna and 'aria-label="Kalender – Alva Andersson"' in anna


@pytest.mark.django_db
def test_calendar_opens_on_the_month_with_the_next_events(client_for):
    """On the last day of a month with nothing left in it, the Kalender opens on the next month."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    import time_machine

    from roster.models import ClosedPeriod

    last_day = date(2026, 11, 30)
    Event.objects.filter(start_date__lte=last_day, end_date__gte=last_day).delete()
    ClosedPeriod.objects.filter(start_date__lte=last_day, end_date__gte=last_day).delete()
    with time_machine.travel(datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("Europe/Stockholm")), tick=False):
        month = client_for("guardian").get(reverse("hub:calendar")).context["month"]
        assert month.first == date(2026, 12, 1)
        assert month.entries  # the next events are there
        # Asking for a month still shows that month.
        asked = client_for("guardian").get(reverse("hub:calendar") + "?manad=2026-11").context["month"]
        assert asked.first == date(2026, 11, 1)


@pytest.mark.django_db
def test_the_calendar_is_cached_per_person_and_shows_a_new_event_at_once(client_for, demo, personas):
    """The Kalender is served from the person's page cache while nothing in view changed;
    an event published for the unit (through the service, which bumps the unit) is on the
    next load, and another guardian's cached month is not anyone else's."""
    from datetime import timedelta

    from django.utils import timezone

    from hub import services as hub_services
    from roster.policy import viewer_build

    url = reverse("hub:calendar") + "?manad=" + timezone.localdate().strftime("%Y-%m")
    anna = client_for("guardian")
    first = anna.get(url)
    assert "hub/calendar_content.html" in [t.name for t in first.templates]
    second = anna.get(url)
    assert "hub/calendar_content.html" not in [t.name for t in second.templates], "served from the cache"
    hub_services.event_create(
        viewer=viewer_build(personas["principal"]),
        title="Föräldramöte i aulan",
        description="",
        event_type="ovrigt",
        audience=f"unit:{demo['norrskolan'].pk}",
        all_day=True,
        start_date=timezone.localdate() + timedelta(days=1),
    )
    assert "Föräldramöte i aulan" in anna.get(url).content.decode()
    # Bo's child is in 3B at Norrskolan too; a preschool-only family sees none of it.
    assert "Föräldramöte i aulan" in client_for("other_guardian").get(url).content.decode()
    assert (
        "Föräldramöte i aulan"
        not in client_for("teacher").get(reverse("hub:calendar") + "?manad=1999-01").content.decode()
    )


@pytest.mark.django_db
def test_the_kalender_box_reads_rows_as_it_read_events(demo, personas, monkeypatch):
    """The box builds its entries from eight columns per event (hub.selectors._BoxEvent), not
    from Event and Group instances: the same entries, for a family and for staff, with events
    for the municipality, a unit, a group, and one merged across groups."""
    from datetime import timedelta

    from django.db.models import Q

    from hub import selectors
    from roster.models import Group
    from roster.policy import viewer_build

    today = timezone.localdate()
    unit, group = demo["norrskolan"], demo["3b"]
    other = Group.objects.filter(unit=unit).exclude(pk=group.pk).first()
    Event.objects.create(
        title="Skolavslutning", start_date=today + timedelta(days=3), end_date=today + timedelta(days=3)
    )
    Event.objects.create(title="Studiebesök", event_type="utflykt", unit=unit, start_date=today, end_date=today)
    for g in (group, other):
        day = today + timedelta(days=2)
        Event.objects.create(
            title="Nationellt prov", event_type="nationellt_prov", unit=unit, group=g, start_date=day, end_date=day
        )

    def from_instances(*, unit_ids, group_ids, all_of_units, start, end):
        # The audience as three conditions (Event.reaches), not the addressed_to column.
        scope = Q(unit__isnull=True) | Q(unit_id__in=unit_ids, group__isnull=True) | Q(group_id__in=group_ids)
        if all_of_units:
            scope |= Q(unit_id__in=unit_ids)
        return list(Event.objects.filter(scope, start_date__lte=end, end_date__gte=start).select_related("group"))

    guardian = viewer_build(personas["guardian"])
    principal = viewer_build(personas["principal"])
    rows = (
        selectors.events_box_for_children(viewer=guardian, children=guardian.children),
        selectors.events_box_for_units(viewer=principal, units=principal.staff_units),
    )
    monkeypatch.setattr(selectors, "_events_for_box", from_instances)
    instances = (
        selectors.events_box_for_children(viewer=guardian, children=guardian.children),
        selectors.events_box_for_units(viewer=principal, units=principal.staff_units),
    )
    assert rows == instances
    entries = [e for boxes in rows for box in boxes.values() for e in box]
    assert any(e["audience"] and "," in e["audience"] for e in entries)  # merged across groups
    assert any(e["kind_label"] == "Utflykt" for e in entries)
