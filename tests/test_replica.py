"""The read-replica router (config/replica.py): safe web requests read from the replica,
everything else and the browser that has just written read the primary. Checked on the
router's decisions inside real requests through the middleware (no replica runs here: the
alias is only named, never queried)."""

import time

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from accounts.models import User
from config.replica import COOKIE, ReadYourWritesMiddleware, ReplicaRouter

router = ReplicaRouter()


def _through_middleware(request):
    seen = {}

    def view(request):
        seen["read"] = router.db_for_read(User) or "default"
        seen["write"] = router.db_for_write(User)
        return HttpResponse("ok")

    response = ReadYourWritesMiddleware(view)(request)
    return seen, response


@override_settings(SKOLHUBB_READ_REPLICA=True, SKOLHUBB_REPLICA_PIN_SECONDS=10)
def test_a_get_reads_from_the_replica_and_writes_go_to_the_primary():
    seen, response = _through_middleware(RequestFactory().get("/"))
    assert seen == {"read": "replica", "write": "default"}
    assert COOKIE not in response.cookies


@override_settings(SKOLHUBB_READ_REPLICA=True, SKOLHUBB_REPLICA_PIN_SECONDS=10)
def test_after_a_post_the_browser_reads_its_own_writes_from_the_primary():
    seen, response = _through_middleware(RequestFactory().post("/franvaro/ny/"))
    assert seen["read"] == "default", "a POST reads the primary"
    cookie = response.cookies[COOKIE]
    assert cookie["max-age"] == 10 and cookie["httponly"]
    follow = RequestFactory().get("/")
    follow.COOKIES[COOKIE] = cookie.value
    assert _through_middleware(follow)[0]["read"] == "default", "the page after the POST is read from the primary"
    later = RequestFactory().get("/")
    later.COOKIES[COOKIE] = f"{time.time() - 1:.3f}"
    assert _through_middleware(later)[0]["read"] == "replica", "once the pin has run out, the replica again"
    garbled = RequestFactory().get("/")
    garbled.COOKIES[COOKIE] = "x"
    assert _through_middleware(garbled)[0]["read"] == "replica"


@override_settings(SKOLHUBB_READ_REPLICA=True)
def test_outside_a_request_everything_reads_the_primary():
    assert router.db_for_read(User) is None  # a Celery task, a command: the primary


@pytest.mark.django_db(transaction=True)  # no test transaction around it: the view opens its own
@override_settings(SKOLHUBB_READ_REPLICA=True)
def test_inside_a_transaction_reads_stay_on_the_primary():
    def view(request):
        before = router.db_for_read(User)
        with transaction.atomic():
            inside = router.db_for_read(User)
        return HttpResponse(f"{before}/{inside}")

    response = ReadYourWritesMiddleware(view)(RequestFactory().get("/"))
    assert response.content == b"replica/None"


def test_without_a_replica_nothing_changes():
    seen, response = _through_middleware(RequestFactory().post("/"))
    assert seen["read"] == "default"
    assert COOKIE not in response.cookies
    assert _through_middleware(RequestFactory().get("/"))[0]["read"] == "default"


def test_migrations_run_on_the_primary_only():
    assert router.allow_migrate("default", "roster") and not router.allow_migrate("replica", "roster")


@override_settings(SKOLHUBB_READ_REPLICA=True)
def test_what_is_cached_under_generations_is_read_from_the_primary():
    """The Hub's boxes, the viewer and the calendar are cached under generations bumped when
    the primary commits: a lagging replica would cache old rows as current. Their loaders
    run inside config.replica.primary()."""
    from config.replica import primary

    def view(request):
        outside = router.db_for_read(User)
        with primary():
            inside = router.db_for_read(User)
        return HttpResponse(f"{outside}/{inside}")

    response = ReadYourWritesMiddleware(view)(RequestFactory().get("/"))
    assert response.content == b"replica/None"


@pytest.mark.django_db
@override_settings(SKOLHUBB_READ_REPLICA=True)
def test_the_hub_fills_its_cache_from_the_primary(client_for, monkeypatch):
    """A cold Hub through the real middleware: every read made while loading the viewer, the
    boxes and the page goes to the primary (the router is asked and answers the primary)."""
    from config import generations

    asked = []
    original = ReplicaRouter.db_for_read

    def recording(self, model, **hints):
        answer = original(self, model, **hints)
        asked.append((model._meta.label, answer))
        return None  # the test has no replica to read from: record, then read the primary

    monkeypatch.setattr(ReplicaRouter, "db_for_read", recording)
    client = client_for("guardian")
    generations.bump_everything()
    assert client.get("/").status_code == 200
    loads = [label for label, answer in asked if label not in {"sessions.Session", "accounts.User"}]
    assert loads, "the Hub read something"
    assert all(answer is None for label, answer in asked if label not in {"sessions.Session", "accounts.User"}), asked
