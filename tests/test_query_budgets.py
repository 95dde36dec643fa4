"""Query budgets: the Hub and the list pages run a constant number of SQL queries,
whatever the number of children or rows. Two data sizes each; counts pinned.

The viewer and the Hub's boxes are cached (hub/cache.py, roster.policy.viewer_cached), so
each page has two budgets: *cold* (empty cache: the first request of the day, or the first
after a change) and *warm* (everything cached)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from hub.models import Event, NewsItem, UnitBoxes
from hub.registry import registry
from hub.testing import hub_board
from roster.models import Unit
from tests.budgets import (
    HUB_BASE,
    SESSION,
    WARM_HUB,
    cold,
    declared,
    has_loader,
    hub_queries,
)

# The Hub's budget is the sum of what its boxes declare in their own boxes.py (Box.queries,
# Box.unit_queries): see tests/budgets.py. The Hub with the platform's own boxes, Information
# (the newest news per audience) and Kalender (events, closed periods):
HUB_BASE_QUERIES = HUB_BASE + registry.get("information").queries + registry.get("kalender").queries
# The news list: session, user, children with placements, duties, count, one page, and when
# an item in view is next published or expires (the page cache's end).
NEWS_LIST_QUERIES = SESSION + 6
# The calendar month: session, user, children with placements, duties; without ?manad= the
# month to open on (the next event, the next closed period); the month's events and closed
# periods.
CALENDAR_QUERIES = SESSION + 7
# The viewer (own children with their placements, duties) is cached per user: a warm request
# skips its queries (tests.budgets.VIEWER), and the user's row (tests.budgets.USER).


_cold = cold  # the apps' budget tests import it from here


def _login(email: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _more_rows(demo, count: int) -> None:
    now = timezone.now()
    today = timezone.localdate()
    unit, group = demo["norrskolan"], demo["3b"]
    NewsItem.objects.bulk_create(
        NewsItem(title=f"Nyhet {i}", unit=unit, group=group if i % 2 else None, publish_at=now - timedelta(hours=i))
        for i in range(count)
    )
    Event.objects.bulk_create(
        Event(
            title=f"Händelse {i}",
            unit=unit,
            group=group if i % 2 else None,
            start_date=today + timedelta(days=i % 20),
            end_date=today + timedelta(days=i % 20),
        )
        for i in range(count)
    )


@pytest.mark.django_db
def test_hub_with_the_platform_boxes_is_the_same_for_one_and_three_children(demo, django_assert_num_queries):
    """Issue 2's budget: Information and Kalender, one child (Bo) or three (Carin), at most 12."""
    UnitBoxes.objects.bulk_create(UnitBoxes(unit=u, enabled=["information", "kalender"]) for u in Unit.objects.all())
    bo = _login("bo.berg@example.se")
    carin = _login("carin.carlsson@example.se")
    _cold()
    with django_assert_num_queries(HUB_BASE_QUERIES):
        response = bo.get(reverse("hub:dashboard"))
    assert len(hub_board(response).family) == 1
    _cold()
    with django_assert_num_queries(HUB_BASE_QUERIES):
        response = carin.get(reverse("hub:dashboard"))
    assert len(hub_board(response).family) == 3
    with django_assert_num_queries(WARM_HUB):
        response = carin.get(reverse("hub:dashboard"))
    assert len(hub_board(response).family) == 3
    assert HUB_BASE_QUERIES <= 12


@pytest.mark.django_db
def test_the_hub_without_boxes_runs_its_base(demo, django_assert_num_queries):
    """The fixed part every box's budget is added to, for a family and for staff."""
    UnitBoxes.objects.bulk_create(UnitBoxes(unit=u, enabled=[]) for u in Unit.objects.all())
    for email in ("carin.carlsson@example.se", "rektor@example.se"):
        client = _login(email)
        _cold()
        with django_assert_num_queries(HUB_BASE):
            response = client.get(reverse("hub:dashboard"))
        assert not [box for column in hub_board(response).staff for box in column.boxes]
        assert not [box for column in hub_board(response).family for box in column.boxes]


def test_every_box_declares_its_cold_query_cost():
    """A box states the queries of each loader it has in its own boxes.py (Box.queries,
    Box.unit_queries); the Hub's budget is derived from them."""
    missing = [
        f"{box.key}: {'unit_queries' if units else 'queries'}"
        for box in registry.all()
        for units in (False, True)
        if has_loader(box, units=units) and not isinstance(declared(box, units=units), int)
    ]
    assert not missing, "boxes without a declared query budget: " + ", ".join(missing)


# Personas that between them see every box of the demo municipality: families with children in
# förskola, grundskola and fritidshem (one, two and three children), a student, and staff of
# each kind of unit (a teacher, a preschool pedagog, a principal, fritids staff).
FAMILIES = [
    "anna.andersson@example.se",
    "carin.carlsson@example.se",
    "bo.berg@example.se",
    "solen.0a@demo.skolhubb.se",
    "elev.elias@example.se",
]
STAFF = ["larare.3b@example.se", "pedagog.solen@example.se", "rektor@example.se", "fritids@example.se"]


def every_persona(eid_user_client) -> dict[str, Client]:
    """A logged-in client per persona: families through the e-ID provider (so the boxes behind
    e-ID show), staff with a password."""
    clients = {email: eid_user_client(User.objects.get(email=email)) for email in FAMILIES}
    clients.update({email: _login(email) for email in STAFF})
    return clients


@pytest.mark.django_db
def test_each_box_alone_costs_at_most_what_it_declares(demo, eid_user_client):
    """Each box alone (the only one the units use), cold, for every persona: the Hub runs its
    base and the box's loader, and the loader runs at most what the box declares. The most it
    runs for some persona is exactly what it declares: a budget is not padded, and every
    declared loader runs for someone in the demo municipality. Families log in with e-ID, so
    the boxes behind e-ID are measured too."""
    clients = every_persona(eid_user_client)
    most: dict[tuple[str, bool], int] = {}
    problems = []
    for box in registry.all():
        UnitBoxes.objects.all().delete()
        UnitBoxes.objects.bulk_create(UnitBoxes(unit=u, enabled=[box.key]) for u in Unit.objects.all())
        for email, client in clients.items():
            _cold()
            with hub_queries() as hub:
                response = client.get(reverse("hub:dashboard"))
            assert response.status_code == 200
            assert {call.box.key for call in hub.calls} <= {box.key}
            problems += [f"{email}: {problem}" for problem in hub.problems(HUB_BASE)]
            for call in hub.calls:
                most[(box.key, call.units)] = max(most.get((box.key, call.units), 0), call.queries)
    assert not problems, "\n".join(problems)
    unmet = [
        f"{box.key} ({'units' if units else 'children'}): declares {declared(box, units=units)}, "
        f"ran at most {most.get((box.key, units))}"
        for box in registry.all()
        for units in (False, True)
        if has_loader(box, units=units) and most.get((box.key, units)) != declared(box, units=units)
    ]
    assert not unmet, "\n".join(unmet)


@pytest.mark.django_db
def test_whole_hub_same_for_two_and_three_children(django_assert_num_queries):
    """Every box the units use (no setting: all that fit), cold: within the sum of what the
    boxes declare; warm: the session only (database sessions; none with Redis), and the same
    page."""
    for email in (
        "anna.andersson@example.se",
        "carin.carlsson@example.se",
        "bo.berg@example.se",
        "solen.0a@demo.skolhubb.se",
    ):
        client = _login(email)
        _cold()
        with hub_queries() as hub:
            cold = client.get(reverse("hub:dashboard"))
        hub.assert_within_budget(cold)
        with django_assert_num_queries(WARM_HUB):
            warm = client.get(reverse("hub:dashboard"))
        assert cold.status_code == warm.status_code == 200
        masked = [re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", r.content) for r in (cold, warm)]
        assert masked[0] == masked[1], "the cached Hub is the same page"


@pytest.mark.django_db
def test_hub_queries_do_not_grow_with_rows(demo, django_assert_num_queries):
    """Cold: within the boxes' budgets and the same count with 60 more news items and events;
    warm ≤ 3 for every persona (issue 16's target), at two data sizes."""
    clients = {email: _login(email) for email in [*FAMILIES[:4], *STAFF[:3]]}
    counts: dict[str, set[int]] = {email: set() for email in clients}
    for size in (0, 60):
        _more_rows(demo, size)
        for email, client in clients.items():
            _cold()
            with hub_queries() as hub:
                response = client.get(reverse("hub:dashboard"))
            hub.assert_within_budget(response)
            counts[email].add(hub.total)
            with django_assert_num_queries(WARM_HUB):
                response = client.get(reverse("hub:dashboard"))
            assert response.status_code == 200
    assert all(len(totals) == 1 for totals in counts.values()), counts
    assert WARM_HUB <= 3


@pytest.mark.django_db
def test_a_cold_hub_with_every_box_runs_at_most_twenty_queries(demo, eid_user_client):
    """Issue 16's cold target: at most 20 queries (besides a database session's own) with
    every box the platform has, for every persona; families logged in with e-ID, so the
    boxes behind it (fees, grades, assessments) count too."""
    clients = every_persona(eid_user_client)
    totals = {}
    for email, client in clients.items():
        _cold()
        with hub_queries() as hub:
            response = client.get(reverse("hub:dashboard"))
        hub.assert_within_budget(response)
        totals[email] = hub.total - SESSION
    assert max(totals.values()) <= 20, totals


@pytest.mark.django_db
@pytest.mark.parametrize("email", ["anna.andersson@example.se", "larare.3b@example.se", "admin@example.se"])
def test_news_list_and_calendar_do_not_grow_with_rows(email, demo, django_assert_num_queries):
    client = _login(email)
    for size in (0, 80):
        _more_rows(demo, size)
        _cold()
        with django_assert_num_queries(NEWS_LIST_QUERIES):
            response = client.get(reverse("hub:news-list"))
        if size:
            assert len(response.context["page"].object_list) == 20
        # Warm, the list comes whole from the person's page cache (hub.cache.viewer_page).
        with django_assert_num_queries(WARM_HUB):
            client.get(reverse("hub:news-list"))
        _cold()
        with django_assert_num_queries(CALENDAR_QUERIES):
            client.get(reverse("hub:calendar"))
        # Warm, the month comes whole from the person's page cache (hub.cache.viewer_page).
        with django_assert_num_queries(WARM_HUB):
            client.get(reverse("hub:calendar"))


@pytest.fixture
def no_sql_in_templates(monkeypatch):
    """Fail on any SQL query issued while a template renders (lazy querysets, relations)."""
    from django.db import connection
    from django.template.backends.django import Template

    state = {"rendering": 0, "queries": []}
    original = Template.render

    def render(self, *args, **kwargs):
        state["rendering"] += 1
        try:
            return original(self, *args, **kwargs)
        finally:
            state["rendering"] -= 1

    def watch(execute, sql, params, many, context):
        if state["rendering"]:
            state["queries"].append(sql)
        return execute(sql, params, many, context)

    monkeypatch.setattr(Template, "render", render)
    with connection.execute_wrapper(watch):
        yield state


@pytest.mark.django_db
@pytest.mark.parametrize(
    "email",
    [
        "anna.andersson@example.se",
        "carin.carlsson@example.se",
        "larare.3b@example.se",
        "rektor@example.se",
        "elev.elias@example.se",
    ],
)
def test_no_sql_while_templates_render(email, demo, no_sql_in_templates):
    client = _login(email)
    urls = [
        reverse("hub:dashboard"),
        reverse("hub:news-list"),
        reverse("hub:calendar"),
        reverse("hub:news-detail", args=[demo["3b_news"].pk]),
    ]
    for url in urls:
        status = client.get(url).status_code
        assert status in (200, 404)
    assert no_sql_in_templates["queries"] == []
