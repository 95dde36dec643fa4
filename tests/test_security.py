"""Settings and headers that hold everywhere."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from config.env import database_from_url, env_bool, env_int


def test_robots_txt_disallows_everything(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response.content.decode() == "User-agent: *\nDisallow: /\n"


@pytest.mark.django_db
def test_every_response_is_noindex_with_a_strict_csp(client_for):
    for client, url in ((client_for("anonymous"), reverse("account_login")), (client_for("guardian"), "/")):
        response = client.get(url)
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_need_login_unless_marked(client):
    response = client.get(reverse("hub:news-list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_swedish_by_default():
    assert settings.LANGUAGE_CODE == "sv" and settings.TIME_ZONE == "Europe/Stockholm"
    assert int(os.environ.get("SKOLHUBB_SCHEDULE_LOCK_DAYS", 7)) == settings.SKOLHUBB_SCHEDULE_LOCK_DAYS
    assert settings.ADMIN_URL != "admin/"


def test_env_helpers_fail_loudly(monkeypatch):
    monkeypatch.setenv("X_BOOL", "kanske")
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_BOOL")
    monkeypatch.setenv("X_INT", "sju")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_INT", 7)
    with pytest.raises(ImproperlyConfigured):
        database_from_url("mysql://x@y/z")
    db = database_from_url("postgres://anna:hemligt@db.example.se:5433/skolhubb?sslmode=require")
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], db["PORT"]) == (
        "skolhubb",
        "anna",
        "hemligt",
        "db.example.se",
        "5433",
    )
    assert db["OPTIONS"] == {"sslmode": "require"}


def _check(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_requires_a_secret_key():
    result = _check({"SKOLHUBB_ENV": "production", "ALLOWED_HOSTS": "skolhubb.example.se"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = _check(
        {
            "SKOLHUBB_ENV": "production",
            "ALLOWED_HOSTS": "skolhubb.example.se",
            "SECRET_KEY": "a-long-random-production-secret-key-" + "x" * 40,
        }
    )
    assert result.returncode == 0, result.stdout + result.stderr
