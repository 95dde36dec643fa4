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
def test_readiness_fails_when_the_cache_is_away(monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis away")

    monkeypatch.setattr(cache, "set", down)
    response = Client().get("/health/ready/")
    assert response.status_code == 503
    assert json.loads(response.content)["cache"] == "fail"
    # Liveness does not depend on the cache: the process is alive, do not restart it.
    assert Client().get("/health/").status_code == 200


@pytest.mark.django_db
def test_readiness_fails_when_the_broker_is_away(settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6399/0"  # a closed port
    response = Client().get("/health/ready/")
    assert response.status_code == 503
    assert json.loads(response.content)["broker"] == "fail"
