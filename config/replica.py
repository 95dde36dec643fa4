"""Reads from a PostgreSQL read replica, behind a setting, with read-your-writes.

Switched on by DATABASE_REPLICA_URL (with DATABASE_URL): the replica becomes the database
alias "replica" and this router sends to it the reads of safe web requests (GET, HEAD) —
the Hub, lists, the calendar — while everything else reads and writes the primary:

- every write, and every read inside a transaction on the primary (a service that locks a
  row and reads around it);
- every read outside a web request: Celery tasks, management commands, the shell (a task
  that delivers the outbox must see the row committed a moment ago);
- the reads of a non-safe request (a POST) and, for SKOLHUBB_REPLICA_PIN_SECONDS after it
  (default 10: more than the replication lag a healthy replica has), every request of the
  same browser: the middleware sets a short cookie after a POST, so the page a guardian is
  sent to after reporting sick is read from the primary and shows the report
  (read-your-writes), whatever the replica's lag.

Without DATABASE_REPLICA_URL nothing here is active and there is one database.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

REPLICA = "replica"
COOKIE = "skolhubb_primary"
_use_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("skolhubb_use_replica", default=False)


@contextmanager
def primary() -> Iterator[None]:
    """Read from the primary inside this block: for data that is about to be cached under
    the generations just read. A lagging replica could return rows from before a change
    whose bump has already happened, and they would stay cached as current."""
    token = _use_replica.set(False)
    try:
        yield
    finally:
        _use_replica.reset(token)


def replica_enabled() -> bool:
    """Set in settings when DATABASE_REPLICA_URL configures the "replica" alias."""
    return bool(getattr(settings, "SKOLHUBB_READ_REPLICA", False))


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _use_replica.get() or not replica_enabled():
            return None  # the primary
        if connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"


class ReadYourWritesMiddleware:
    """Marks a safe request whose browser has not just written as one that may read from the
    replica; after a non-safe request, pins the browser to the primary for a few seconds."""

    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_enabled():
            return self.get_response(request)
        now = time.time()
        pinned_until = _float(request.COOKIES.get(COOKIE))
        safe = request.method in self.SAFE
        token = _use_replica.set(safe and pinned_until <= now)
        try:
            response = self.get_response(request)
        finally:
            _use_replica.reset(token)
        if not safe:
            seconds = settings.SKOLHUBB_REPLICA_PIN_SECONDS
            response.set_cookie(
                COOKIE,
                f"{now + seconds:.3f}",
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def _float(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0
