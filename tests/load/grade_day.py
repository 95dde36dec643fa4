"""Grade day (betygsdag): many guardians open their child's grades in the same minute.

    DATABASE_URL=postgres://... REDIS_URL=redis://... \\
        .venv/bin/python tests/load/grade_day.py [--pupils 6000] [--guardians 500] [--spread 60]

Builds (once) a municipality of N pupils in the database named by DATABASE_URL, gives every
pupil in years 6–9 grades for this term, sets each school's betygsdag a few seconds ahead,
starts gunicorn, and at betygsdag sends one request per guardian (e-ID sessions, made
directly in the session store) to their child's grade page, spread over `--spread` seconds
(0: all at once, limited by `--concurrency`). Prints the error rate and latencies and exits
non-zero at 1 % errors or more. Run it against PostgreSQL and Redis, as in production: the
published catalogue is cached in Redis, so the page stays a handful of queries.
"""

import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(*, pupils: int, guardians: int, lead_seconds: int):
    """Seed, set grades and betygsdag; return [(session key, child id)] and betygsdag."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.core.management import call_command
    from django.utils import timezone

    from accounts.assurance import HIGH
    from accounts.assurance import SESSION_KEY as ASSURANCE_KEY
    from accounts.models import User
    from assessments.models import Grade, GradeCatalogue
    from assessments.selectors import current_term, grades_cache_invalidate
    from roster.models import Guardianship, Placement, active_q
    from school.models import Subject

    call_command("migrate", verbosity=0)
    call_command("seed_demo", pupils=pupils, stdout=sys.stderr)
    term = current_term()
    placed = list(
        Placement.objects.filter(
            active_q(), group__grade__in=["6", "7", "8", "9"], unit__kind="grundskola"
        ).values_list("child_id", "unit_id")
    )
    subjects = list(Subject.objects.order_by("name")[:8])
    have = set(Grade.objects.filter(term=term).values_list("child_id", flat=True))
    Grade.objects.bulk_create(
        [
            Grade(child_id=c, unit_id=u, term=term, subject=s, value=random.choice("ABCDEF"))
            for c, u in placed
            if c not in have
            for s in subjects
        ],
        batch_size=5000,
    )
    betygsdag = timezone.now() + timedelta(seconds=lead_seconds)
    for unit_id in {u for _c, u in placed}:
        GradeCatalogue.objects.update_or_create(
            unit_id=unit_id, term=term, defaults={"locked_at": timezone.now(), "publish_at": betygsdag}
        )
    grades_cache_invalidate(everything=True)
    # One child per guardian, 500 different guardians.
    pairs: dict[int, int] = {}
    for guardian_id, child_id in Guardianship.objects.filter(
        active_q(), child_id__in=[c for c, _u in placed]
    ).values_list("guardian_id", "child_id"):
        pairs.setdefault(guardian_id, child_id)
        if len(pairs) >= guardians:
            break
    from importlib import import_module

    store = import_module(settings.SESSION_ENGINE).SessionStore
    users = User.objects.in_bulk(list(pairs))
    sessions = []
    for guardian_id, child_id in pairs.items():
        session = store()
        session[SESSION_KEY] = str(guardian_id)
        session[BACKEND_SESSION_KEY] = "accounts.backends.AuthenticationBackend"
        session[HASH_SESSION_KEY] = users[guardian_id].get_session_auth_hash()
        session[ASSURANCE_KEY] = HIGH  # the load test stands in for the e-ID login
        session.create()
        session.save()
        sessions.append((session.session_key, child_id))
    return sessions, betygsdag, term


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=6000)
    parser.add_argument("--guardians", type=int, default=500)
    parser.add_argument("--spread", type=float, default=60.0, help="seconds over which the requests start")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    if not (os.environ.get("DATABASE_URL", "").startswith("postgres") and os.environ.get("REDIS_URL")):
        sys.exit("grade_day.py measures the production shape: set DATABASE_URL (PostgreSQL) and REDIS_URL")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.conf import settings

    sessions, betygsdag, term = prepare(pupils=args.pupils, guardians=args.guardians, lead_seconds=25)
    print(f"{len(sessions)} guardians, betygsdag {betygsdag:%H:%M:%S} UTC, term {term}", file=sys.stderr)
    from django.db import connections

    connections.close_all()

    port = free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_POOL": "1", "DATABASE_POOL_MAX": str(args.threads + 1)},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/robots.txt")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                sys.exit("gunicorn did not start")
            time.sleep(0.3)
        from django.utils import timezone

        wait = (betygsdag - timezone.now()).total_seconds()
        if wait > 0:
            time.sleep(wait + 0.5)  # the first request comes just after betygsdag
        cookie = settings.SESSION_COOKIE_NAME
        results: list[tuple[int, float, bool]] = []
        lock = threading.Lock()
        start = time.monotonic()

        def one(index: int, key: str, child_id: int) -> None:
            if args.spread:
                delay = start + args.spread * index / len(sessions) - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            began = time.perf_counter()
            status, shown = 0, False
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", f"/bedomningar/barn/{child_id}/betyg/", headers={"Cookie": f"{cookie}={key}"})
                response = conn.getresponse()
                body = response.read().decode("utf-8", "replace")
                status = response.status
                shown = "Inga publicerade betyg" not in body and "publicerade" in body
            except OSError:
                pass
            with lock:
                results.append((status, time.perf_counter() - began, shown))

        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for index, (key, child_id) in enumerate(sessions):
                pool.submit(one, index, key, child_id)
        elapsed = time.monotonic() - start
    finally:
        server.terminate()
        server.wait(timeout=30)
    errors = [r for r in results if r[0] != 200 or not r[2]]
    times = sorted(r[1] for r in results)
    rate = 100 * len(errors) / max(len(results), 1)
    print(f"requests {len(results)} in {elapsed:.1f} s, errors {len(errors)} ({rate:.2f} %)")
    print(
        f"latency ms: median {statistics.median(times) * 1000:.0f}, "
        f"p95 {times[int(len(times) * 0.95) - 1] * 1000:.0f}, max {times[-1] * 1000:.0f}"
    )
    if errors:
        print("error statuses:", sorted({r[0] for r in errors}))
    sys.exit(1 if rate >= 1 else 0)


if __name__ == "__main__":
    main()
