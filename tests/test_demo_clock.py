"""`make run` on any port, and SKOLHUBB_DEMO_TODAY for a demo on any day."""

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.demo_clock import demo_today_start

ROOT = Path(__file__).resolve().parent.parent


def _settings_value(env: dict, expression: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SKOLHUBB_", "PORT", "DEBUG"))}
    code = f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup(); {expression}"
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], env=clean | env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    return result.stdout.strip() + result.stderr.strip()


def test_site_url_follows_port_unless_set():
    show = "from django.conf import settings; print(settings.SKOLHUBB_SITE_URL)"
    assert _settings_value({"PORT": "8123"}, show) == "http://127.0.0.1:8123"
    assert _settings_value({}, show) == "http://127.0.0.1:8000"
    assert _settings_value({"PORT": "8123", "SKOLHUBB_SITE_URL": "https://skola.example.se"}, show) == (
        "https://skola.example.se"
    )


def test_demo_today_makes_the_process_believe_the_date():
    show = "from django.utils import timezone; print(timezone.localdate(), timezone.now().year)"
    assert _settings_value({"SKOLHUBB_DEMO_TODAY": "2027-03-02"}, show) == "2027-03-02 2027"
    # Celery tasks run in a process that loads the same settings, so they travel too.
    refused = _settings_value({"SKOLHUBB_DEMO_TODAY": "2027-03-02", "DEBUG": "0"}, show)
    assert "ImproperlyConfigured" in refused and "DEBUG" in refused


def test_demo_today_refused_without_debug_and_bad_values():
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        demo_today_start("2026-11-30", debug=False)
    with pytest.raises(ImproperlyConfigured, match="2026-11-30"):
        demo_today_start("30/11", debug=True)
    assert demo_today_start("", debug=False) is None


def test_demo_today_travels_and_ticks():
    from django.utils import timezone

    traveller = demo_today_start("2026-12-01", debug=True)
    try:
        assert timezone.localdate() == date(2026, 12, 1)
    finally:
        traveller.stop()
