"""Health endpoints for load balancers and orchestrators.

    /health/        liveness: the process answers (no database, no cache)
    /health/ready/  readiness: the database, the cache and the Celery broker answer

Readiness fails (503) only without the database: Skolhubb keeps serving without Redis
(sessions from the database, the Hub computed, mail waiting in the outbox), and a probe that
failed on Redis would take every node out of the load balancer at once. A missing cache or
broker shows as "degraded" (200) for monitoring.

They are answered by the first middleware, before the host check, the HTTPS redirect,
sessions and authentication: a probe arrives with the pod's IP as Host over plain HTTP and
without a session. The answer says which component failed and nothing else.
"""

from __future__ import annotations

import json
import logging
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

log = logging.getLogger(__name__)

LIVE_PATH = "/health/"
READY_PATH = "/health/ready/"


def _check_database() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache() -> None:
    from django.core.cache import cache

    token = str(time.time_ns())
    cache.set("health:probe", token, 30)
    if cache.get("health:probe") != token:
        raise RuntimeError("cache did not return what was stored")


def _check_broker() -> str | None:
    url = settings.CELERY_BROKER_URL
    if not url or url.startswith("memory://"):
        return "not used"  # the embedded default runs tasks eagerly
    from kombu import Connection

    with Connection(url, connect_timeout=1, transport_options={"socket_timeout": 1}) as connection:
        connection.ensure_connection(max_retries=1, timeout=1)
    return None


CHECKS = {"database": _check_database, "cache": _check_cache, "broker": _check_broker}


def _json(status: int, body: dict) -> HttpResponse:
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@never_cache
def live(request):
    return _json(200, {"status": "ok"})


@login_not_required
@never_cache
def ready(request):
    results, failed = {}, set()
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            note = check()
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            log.warning("health: %s is not ready", name, exc_info=True)
            results[name] = "fail"
            failed.add(name)
        else:
            results[name] = note or f"ok {1000 * (time.perf_counter() - started):.1f} ms"
    if "database" in failed:
        return _json(503, {"status": "fail", **results})
    return _json(200, {"status": "degraded" if failed else "ok", **results})


class HealthCheckMiddleware:
    """First in MIDDLEWARE: answers the probes before anything that needs a host or a session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path == LIVE_PATH:
                return live(request)
            if request.path == READY_PATH:
                return ready(request)
        return self.get_response(request)
