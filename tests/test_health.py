"""The load balancer's probes: no login, no host check, a 503 naming the failed component."""

import json

import pytest
from django.test import Client


@pytest.mark.django_db
def test_liveness_and_readiness_answer_without_login_or_a_known_host(settings):
    settings.ALLOWED_HOSTS = ["skolhubb.example.se"]
    client = Client(HTTP_HOST="10.1.2.3:8000")  # a probe arrives with the pod's IP
    live = client.get("/health/")
    assert live.status_code == 200 and json.loads(live.content) == {"status": "ok"}
    ready = client.get("/health/ready/")
    body = json.loads(ready.content)
    assert ready.status_code == 200, body
    assert body["database"].startswith("ok") and body["cache"].startswith("ok")
    assert "no-store" in ready["Cache-Control"]


@pytest.mark.django_db
def test_cache_away_is_degraded_not_unready(monkeypatch):
    """Skolhubb serves without Redis: the node stays in the load balancer, monitoring sees it."""
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis away")

    monkeypatch.setattr(cache, "set", down)
    response = Client().get("/health/ready/")
    assert response.status_code == 200
    assert json.loads(response.content) | {"database": "-"} == {
        "status": "degraded",
        "database": "-",
        "cache": "fail",
        "broker": json.loads(response.content)["broker"],
    }
    assert Client().get("/health/").status_code == 200


@pytest.mark.django_db
def test_broker_away_is_degraded(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6399/0"  # a closed port
    response = Client().get("/health/ready/")
    assert response.status_code == 200
    assert json.loads(response.content)["broker"] == "fail"
    assert json.loads(response.content)["status"] == "degraded"


@pytest.mark.django_db
def test_database_away_is_unready(monkeypatch):
    from config import health

    def down():
        raise OSError("database away")

    monkeypatch.setitem(health.CHECKS, "database", down)
    response = Client().get("/health/ready/")
    assert response.status_code == 503 and json.loads(response.content)["database"] == "fail"


def test_the_redis_cache_misses_instead_of_failing_while_redis_is_away():
    from config.cache import ResilientRedisCache
    from config.cache_client import ReusingRedisCacheClient

    cache = ResilientRedisCache("redis://127.0.0.1:6399/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    assert cache._class is ReusingRedisCacheClient
    assert cache.get("x", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"], "the keys it could not store"
    assert cache.add("lock", 1) is True
