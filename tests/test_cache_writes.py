"""A request's cache writes go in one round trip when it ends (config.generations.writes_batched,
config.middleware.CacheWritesMiddleware); with Redis, a write of many keys is one command that
gives every key its expiry (config.cache_client)."""

import pytest
from django.core.cache import cache, caches
from django.test import Client

from accounts.models import User
from config import generations
from conftest import require_service


@pytest.fixture
def data_writes(monkeypatch):
    """The cache's set_many calls that store data (generation tokens have their own timeout)."""
    backend = caches["default"]
    calls: list[dict] = []
    original = backend.set_many

    def counting(data, timeout=None, version=None):
        if timeout == generations.DATA_TIMEOUT:
            calls.append(dict(data))
        return original(data, timeout, version=version)

    monkeypatch.setattr(backend, "set_many", counting)
    sent = getattr(backend, "set_many_sent", None)
    if sent is not None:  # Redis: the Hub's writes are sent ahead (config.generations.send_writes)

        def counting_sent(data, timeout=None, version=None):
            if timeout == generations.DATA_TIMEOUT:
                calls.append(dict(data))
            return sent(data, timeout, version=version)

        monkeypatch.setattr(backend, "set_many_sent", counting_sent)
    return calls


@pytest.mark.django_db
def test_a_cold_hub_stores_the_viewer_its_boxes_and_its_page_in_one_write(demo, data_writes):
    client = Client()
    client.force_login(User.objects.get(email="carin.carlsson@example.se"))
    cache.clear()
    data_writes.clear()

    assert client.get("/").status_code == 200

    assert len(data_writes) == 1
    keys = list(data_writes[0])
    assert any(k.startswith("viewer:") for k in keys)
    assert any(k.startswith("hub:box:") for k in keys)
    assert any(k.startswith("hub:page:") for k in keys)
    # And what was stored is what the next request reads: a warm Hub.
    data_writes.clear()
    assert client.get("/").status_code == 200
    assert data_writes == []


def test_outside_a_request_a_write_is_stored_at_once(data_writes):
    generations.set_many({"test:at-once": 1})

    assert len(data_writes) == 1
    assert cache.get("test:at-once") == 1


def test_writes_in_a_batch_wait_for_its_end_and_are_stored_when_it_raises(data_writes):
    with pytest.raises(RuntimeError), generations.writes_batched():
        generations.set_many({"test:first": 1})
        generations.set_many({"test:second": 2})
        assert data_writes == []
        assert cache.get("test:first") is None
        raise RuntimeError("the view failed")

    assert data_writes == [{"test:first": 1, "test:second": 2}]
    assert cache.get_many(["test:first", "test:second"]) == {"test:first": 1, "test:second": 2}


def test_many_keys_with_redis_are_stored_with_their_expiry():
    from django.conf import settings

    require_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    values = {f"test:lua:{i}": {"n": i, "html": "<p>å</p>"} for i in range(40)}

    cache.set_many(values, 120)

    assert cache.get_many(list(values)) == values
    client = cache._cache.get_client(write=True)
    ttls = [client.ttl(cache.make_key(k)) for k in values]
    assert all(0 < ttl <= 120 for ttl in ttls)
    # Django's contract for a timeout of zero: the keys are gone.
    cache.set_many(values, 0)
    assert cache.get_many(list(values)) == {}


def test_values_read_back_are_what_was_stored_integers_included():
    """The cache client reads pickled values without trying them as integers first
    (config.cache_client._Serializer); integers are still stored as Redis integers, for
    incr, and read back as such."""
    from django.conf import settings

    require_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    from config.cache_client import _Serializer

    assert type(cache._cache._serializer) is _Serializer
    values = {
        "test:ser:int": 7,
        "test:ser:neg": -3,
        "test:ser:text": "7",
        "test:ser:bytes": b"\x80",
        "test:ser:none": None,
    }
    values["test:ser:tuple"] = (1.5, "å", [None])
    cache.set_many(values, 60)
    assert cache.get_many(list(values)) == values
    assert cache.incr("test:ser:int") == 8
    client = cache._cache.get_client(write=True)
    assert client.get(cache.make_key("test:ser:int")) == b"8"  # a Redis integer, not a pickle


def _redis():
    from django.conf import settings

    require_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    return cache._cache.get_client(write=True)


def test_writes_sent_ahead_are_stored_by_the_batchs_end_and_their_connection_goes_back():
    """config.generations.send_writes: the command goes out at once, its reply is read when the
    batch ends; until then its connection is out of the pool, then it is back."""
    client = _redis()
    pool = client.connection_pool
    values = {f"test:sent:{i}": {"n": i, "html": "<p>å</p>"} for i in range(30)}
    in_use = len(pool._in_use_connections)

    with generations.writes_batched():
        generations.set_many(values)
        generations.send_writes()
        assert len(pool._in_use_connections) == in_use + 1, "sent, its reply not read yet"
        generations.set_many({"test:sent:after": 1})  # a new batch: stored at the end

    assert len(pool._in_use_connections) == in_use
    assert cache.get_many([*values, "test:sent:after"]) == {**values, "test:sent:after": 1}
    assert all(0 < client.ttl(cache.make_key(k)) <= generations.DATA_TIMEOUT for k in values)


def test_a_script_redis_forgot_runs_again_when_its_writes_are_sent_ahead():
    """After a Redis restart the Lua script is gone (NOSCRIPT): the reply says so, and the
    writes are stored the usual way (the script loaded again)."""
    client = _redis()
    cache.set_many({"test:noscript:load": 1}, 60)  # the script is registered with this client
    client.script_flush()

    with generations.writes_batched():
        generations.set_many({"test:noscript": "kept"})
        generations.send_writes()

    assert cache.get("test:noscript") == "kept"


@pytest.mark.django_db
def test_a_cold_hub_sends_its_writes_before_its_frame_renders(demo, monkeypatch):
    """The Hub's boxes and page go to Redis before the page's frame is rendered (Redis stores
    while the frame renders); the rest of the request's writes, if any, at its end."""
    _redis()
    import hub.views

    order: list[str] = []
    backend = caches["default"]
    real_send, real_frame = backend.set_many_sent, hub.views.render_framed
    monkeypatch.setattr(
        backend,
        "set_many_sent",
        lambda data, timeout=None, version=None: order.append("sent") or real_send(data, timeout),
    )
    monkeypatch.setattr(hub.views, "render_framed", lambda *a, **k: order.append("frame") or real_frame(*a, **k))
    client = Client()
    client.force_login(User.objects.get(email="carin.carlsson@example.se"))
    generations.bump_everything()

    assert client.get("/").status_code == 200
    assert order[:2] == ["sent", "frame"]
