"""Redis configured but down (REDIS_URL at a closed port): pages serve, password login works,
a sick report and a leave application are stored. Runs a real settings module in a subprocess
against the test database (transactional, so the subprocess sees the demo data)."""

import json
import os
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

CLOSED = "redis://127.0.0.1:6399/0"


def _port_closed(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) != 0


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def seeded(transactional_db):
    from demo.seed import seed_demo

    seed_demo()


def test_login_and_reports_work_with_redis_down(seeded):
    from django.contrib.auth.hashers import make_password

    from absence.calendar import next_school_day
    from accounts.models import User
    from roster.models import Child, Guardianship

    assert _port_closed(6399), "the test needs nothing listening on 127.0.0.1:6399"
    # The suite hashes with MD5 for speed (conftest); the subprocess runs the real settings.
    User.objects.filter(email="anna.andersson@example.se").update(
        password=make_password("skolhubb-demo", hasher="pbkdf2_sha256")
    )
    elias = Child.objects.get(given_name="Elias", family_name="Andersson")
    erik = User.objects.create_user("erik.redis@example.se", "x", first_name="Erik")
    Guardianship.objects.create(guardian=erik, child=elias, start_date=elias.date_of_birth)
    start = next_school_day(timezone.localdate() + timedelta(days=10))
    env = {
        **os.environ,
        "REDIS_URL": CLOSED,
        "DATABASE_URL": _database_url(),
        "DATABASE_POOL": "0",
        "PYTHONPATH": str(settings.BASE_DIR),
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "EMAIL_FILE_PATH": str(settings.VAR_DIR / "mail-redis-down"),
    }
    result = subprocess.run(
        [
            sys.executable,
            str(settings.BASE_DIR / "tests" / "redis_down_client.py"),
            timezone.now().isoformat(),
            str(elias.pk),
            start.isoformat(),
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["redis_url"] == CLOSED
    assert out["session_engine"] == "django.contrib.sessions.backends.cached_db"
    assert out == out | {
        "login_page": 200,
        "login": 302,
        "logged_in": True,
        "hub": 200,
        "sick": 302,
        "report_stored": True,
        "leave": 302,
        "leave_stored": True,
        "hub_again": 200,
    }, f"{out}\n{result.stderr[-3000:]}"


def test_the_cache_misses_instead_of_failing_and_backs_off(monkeypatch):
    """In-process: the cache at a closed port answers like an empty cache, and after the first
    refused connection it does not try again for RETRY_AFTER seconds."""
    from config import cache as resilient

    cache = resilient.ResilientRedisCache(CLOSED, {"OPTIONS": {"socket_connect_timeout": 0.5}})
    attempts = []
    real = resilient.RedisCache.get

    def counting_get(self, *args, **kwargs):
        attempts.append(args)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(resilient.RedisCache, "get", counting_get)
    assert cache.get("x", "standard") == "standard"
    assert cache.set("x", 1) is None
    assert cache.add("lock", True) is True  # a lock-by-add caller goes on
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("x") is False
    assert cache.get("y") is None
    assert len(attempts) == 1  # the rest were skipped while the cache is known to be down
