"""The logged-in person's row comes from the cache (accounts.backends.cached_user), read in
the same round trip as the viewer and the page's keys: a warm page runs no query for the
user. Every save or delete of the user bumps its generation (accounts/receivers.py), so a
change to the account takes effect on the next request all the same; with the cache away
the row comes from the database (accounts.backends.load_user, a statement compiled once)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.backends import cached_user, load_user
from config import generations
from tests.budgets import USER, WARM_HUB

pytestmark = pytest.mark.django_db
HUB = reverse("hub:dashboard")


def _same_row(a, b) -> None:
    assert type(a) is type(b) and a is not b
    for field in type(a)._meta.concrete_fields:
        assert getattr(a, field.attname) == getattr(b, field.attname), field.name
    assert a._state.adding is b._state.adding is False and a._state.db == b._state.db == "default"


def _warm(client, django_assert_num_queries) -> None:
    """Two loads of the Hub: the second runs no query for the user (its row is cached)."""
    assert client.get(HUB).status_code == 200
    with django_assert_num_queries(WARM_HUB):
        assert client.get(HUB).status_code == 200


def test_load_user_is_the_orms_row(personas):
    anna = personas["guardian"]
    loaded = load_user(anna.pk)
    assert loaded == anna
    _same_row(loaded, anna)
    assert load_user(10**9) is None and load_user("not a number") is None
    assert load_user(str(anna.pk)) == anna  # the session keeps the id as text


def test_the_cached_row_is_the_databases(personas, django_assert_num_queries):
    anna = personas["guardian"]
    anna.last_login = timezone.now()  # every kind of column: text, flags, a date and time, a null
    anna.personnummer = None
    anna.save()
    with django_assert_num_queries(USER):
        from_database = cached_user(str(anna.pk))  # a miss: loaded and stored
    with django_assert_num_queries(0):
        from_cache = cached_user(str(anna.pk))
    _same_row(from_cache, from_database)
    _same_row(from_cache, load_user(anna.pk))
    assert from_cache.last_login == anna.last_login and from_cache.personnummer is None
    assert cached_user(10**9) is None and cached_user("not a number") is None


def test_a_warm_page_reads_the_user_with_the_viewer_in_one_round_trip(client_for, monkeypatch):
    from hub.testing import cache_reads

    anna = client_for("guardian")
    anna.get(HUB)
    reads = cache_reads(monkeypatch)
    anna.get(HUB)
    [keys] = reads
    pk = anna.session["_auth_user_id"]
    assert {generations.user_row_key(pk), generations.user_key(pk)} <= set(keys)
    assert any(key.startswith("hub:page:") for key in keys), "the page's slot was read ahead"


def _deactivate(user):
    user.is_active = False
    user.save()


def _change_password(user):
    user.set_password("ett-helt-nytt-lösenord-2026")
    user.save()


def _delete(user):
    user.delete()


@pytest.mark.parametrize("change", [_deactivate, _change_password, _delete])
@pytest.mark.parametrize("role", ["guardian", "teacher", "nobody"])
def test_deactivation_password_change_and_deletion_take_effect_on_the_next_request(
    client, personas, django_assert_num_queries, change, role
):
    """With the row cached, an existing session is logged out on its next request. "nobody"
    has no child or duty, whose rows' own receivers would bump the user's generation when a
    deletion cascades to them."""
    from accounts.models import User

    user = personas.get(role) or User.objects.create_user("ingen.relation@example.se", "x", first_name="Ingen")
    client.force_login(user, backend="accounts.backends.AuthenticationBackend")
    _warm(client, django_assert_num_queries)
    change(user)
    response = client.get(HUB)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
    assert not response.wsgi_request.user.is_authenticated


def test_a_new_name_shows_on_the_next_request(client_for, personas, django_assert_num_queries):
    anna = client_for("guardian")
    _warm(anna, django_assert_num_queries)
    user = personas["guardian"]
    user.first_name = "Annika"
    user.save(update_fields=["first_name"])
    response = anna.get(HUB)
    assert response.wsgi_request.user.first_name == "Annika"
    assert "Hej Annika!" in response.content.decode()


def _cache_that_raises(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(generations.cache, "get_many", broken)
    monkeypatch.setattr(generations.cache, "set_many", broken)
    # The Redis cache's writes sent ahead (config.generations.send_writes) too.
    monkeypatch.setattr(generations.cache, "set_many_sent", broken, raising=False)


def _cache_that_misses(monkeypatch):
    # What config.cache.ResilientRedisCache does while Redis is away.
    monkeypatch.setattr(generations.cache, "get_many", lambda keys, *a, **k: {})
    monkeypatch.setattr(generations.cache, "set_many", lambda data, *a, **k: list(data))
    monkeypatch.setattr(generations.cache, "set_many_sent", lambda data, *a, **k: lambda: None, raising=False)


@pytest.mark.parametrize("down", [_cache_that_raises, _cache_that_misses])
def test_with_the_cache_away_the_user_comes_from_the_database(client, personas, monkeypatch, down):
    anna = personas["guardian"]
    with monkeypatch.context() as away:
        down(away)
        response = client.post(reverse("account_login"), {"login": anna.email, "password": "skolhubb-demo"})
        assert response.status_code == 302 and client.session["_auth_user_id"] == str(anna.pk)
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(HUB)
            assert response.status_code == 200 and response.wsgi_request.user == anna
            assert [q for q in queries if 'FROM "accounts_user" WHERE "accounts_user"."id" =' in q["sql"]]
        assert cached_user(anna.pk) == anna
    assert cache.get(generations.user_row_key(anna.pk)) is None, "nothing stored while the cache was away"


def test_a_login_renews_the_row_and_leaves_the_viewer_and_pages_cached(personas, django_assert_num_queries):
    """Django saves last_login alone at every login: that renews only the row (its own
    generation), so the person's Hub stays warm in their other sessions and after logging in."""
    from django.test import Client

    anna = personas["guardian"]
    phone, laptop = Client(), Client()
    phone.force_login(anna, backend="accounts.backends.AuthenticationBackend")
    _warm(phone, django_assert_num_queries)

    laptop.force_login(anna, backend="accounts.backends.AuthenticationBackend")  # saves last_login

    with django_assert_num_queries(WARM_HUB + USER):  # the row again; the viewer and page cached
        assert phone.get(HUB).status_code == 200
    anna.refresh_from_db()
    assert cached_user(anna.pk).last_login == anna.last_login
    # Any other change to the account still voids the person's viewer and pages.
    anna.first_name = "Annika"
    anna.save()
    assert "Annika" in phone.get(HUB).content.decode()


def test_a_page_that_builds_the_viewer_loads_its_rows_with_the_users_row(personas, django_assert_num_queries):
    """Neither the row nor the viewer cached (the day's first request, a change): on a page
    that builds the viewer, the viewer's two statements come with the user's row (one
    round trip on PostgreSQL) and the viewer is built from those rows, the same viewer as one
    built by its own queries. After a write in the same request the rows are not used."""
    from accounts.backends import PREFETCHED_ATTRIBUTE, reading_ahead_for
    from roster.policy import viewer_build, viewer_cached

    anna = personas["guardian"]
    for viewer_wanted, queries in ((False, USER), (True, USER + 2)):
        generations.bump_everything()
        with django_assert_num_queries(queries), reading_ahead_for(HUB, viewer=viewer_wanted):
            user = cached_user(anna.pk)
    prefetched = getattr(user, PREFETCHED_ATTRIBUTE)
    with django_assert_num_queries(0):
        viewer = viewer_cached(user, prefetched=prefetched)
    expected = viewer_build(anna)
    assert [(c.pk, [(p.pk, p.unit.name, p.group_id) for p in c.active_placements]) for c in viewer.children] == [
        (c.pk, [(p.pk, p.unit.name, p.group_id) for p in c.active_placements]) for c in expected.children
    ]
    assert viewer.children and viewer.duties == expected.duties

    generations.bump_everything()
    with reading_ahead_for(HUB, viewer=True):
        user = cached_user(anna.pk)
    generations.bump_keys([generations.user_key(anna.pk)])  # a write in this request
    with django_assert_num_queries(2):  # the rows loaded before it are not used
        viewer_cached(user, prefetched=getattr(user, PREFETCHED_ATTRIBUTE))


def test_a_viewer_read_ahead_but_no_longer_current_is_not_unpickled(personas, monkeypatch):
    """The viewer's entry keeps its instances pickled inside it (roster.policy.viewer_cached):
    read ahead with the user's row after a change, its stamp says it is out of date before any
    of its instances is rebuilt from the cache."""
    from django.db.models import base
    from django.test import Client

    anna = personas["guardian"]
    client = Client()
    client.force_login(anna, backend="accounts.backends.AuthenticationBackend")
    assert client.get(HUB).status_code == 200  # the viewer cached
    unpickled = []
    real = base.Model.__setstate__
    monkeypatch.setattr(base.Model, "__setstate__", lambda self, state: unpickled.append(self) or real(self, state))

    assert client.get(HUB).status_code == 200
    assert unpickled, "a current viewer is read from the cache"
    unpickled.clear()
    generations.bump_keys([generations.user_key(anna.pk)])  # as a change of guardianship does

    assert client.get(HUB).status_code == 200
    assert unpickled == []
