"""SKOLHUBB_DEMO_TODAY: a demo that works on any day.

With `SKOLHUBB_DEMO_TODAY=2026-11-30` the whole process (web, e-mails, Celery worker and
beat, the demo seeder) believes it is that date, at the real time of day and with the clock
ticking, so a newcomer on a Sunday or in jullov sees an ordinary school day. Refused unless
DEBUG is on: it must never reach production. Uses time-machine (requirements-dev.txt, which
`make run` installs).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ImproperlyConfigured

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def demo_today_start(value: str | None, *, debug: bool):
    """Start travelling to `value` (YYYY-MM-DD) and return the traveller, or None when unset."""
    if not value:
        return None
    if not debug:
        raise ImproperlyConfigured("SKOLHUBB_DEMO_TODAY is only for demos: it is refused when DEBUG is off")
    try:
        day = date.fromisoformat(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"SKOLHUBB_DEMO_TODAY must be a date like 2026-11-30, not {value!r}") from exc
    try:
        import time_machine
    except ImportError as exc:  # pragma: no cover - make run installs it
        raise ImproperlyConfigured(
            "SKOLHUBB_DEMO_TODAY needs time-machine (pip install -r requirements-dev.txt)"
        ) from exc
    now = datetime.now(STOCKHOLM)
    traveller = time_machine.travel(datetime.combine(day, now.time(), tzinfo=STOCKHOLM), tick=True)
    traveller.start()
    return traveller
