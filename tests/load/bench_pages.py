"""Benchmark: how much slower the Hub and list pages are than a trivial view, same run.

    .venv/bin/python tests/load/bench_pages.py --pupils 20000 [--rounds 30] [--only hub]

Builds (once) a municipality of N pupils in its own SQLite file under var/bench-N/ (or uses
DATABASE_URL), then times each page in-process with Django's test client and prints the
median time and the ratio to /robots.txt, plus the query count per page. A ratio, not a
wall-clock number, so it means the same on a fast and a slow machine.

"warm" rows are timed with the viewer, the Hub's boxes and page cached (the normal case);
"cold" rows void the cache before every request (config.generations.bump_everything: the
worst case, a deploy or a restored database); the "after a sick report" row bumps one child
before every request, as an absence report does (that child's boxes and its units' reload). The statistics rows run on two dates of the term (two weeks in and
the last week), for Norrskolan's class and unit and for the largest generated school.

    .venv/bin/python tests/load/bench_pages.py --pupils 20000 --http

`--http` measures as a load balancer sees it, the way issue #16 was measured: the same pages
over real HTTP from one gunicorn process (sync worker, DEBUG off) started by the script on the
same database, with a Redis cache (REDIS_URL, required: the script voids the server's cache
for the cold rows) and real session cookies; the trivial view is timed over HTTP too. The
server's clock cannot travel, so the statistics rows run once, on today's date.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--only", default="", help="run only the rows whose label contains this")
    parser.add_argument("--http", action="store_true", help="over HTTP against a gunicorn process started here")
    args = parser.parse_args()
    if args.http and not os.environ.get("REDIS_URL"):
        parser.error("--http needs REDIS_URL (the cold rows void the server's cache)")
    if not os.environ.get("DATABASE_URL"):
        os.environ["SKOLHUBB_VAR_DIR"] = str(ROOT / "var" / f"bench-{args.pupils}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ["DEBUG"] = "0"  # cached templates, as in production

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    settings.ALLOWED_HOSTS = ["testserver"]
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", pupils=args.pupils, stdout=sys.stderr)
    from accounts.models import User
    from roster.models import Child

    print(f"children in the database: {Child.objects.count()}")

    def client_for(email: str | None) -> Client:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
        return client

    from django.db.models import Count

    from absence import stats

    try:
        from config import generations
    except ImportError:  # measuring a revision from before the Hub cache: nothing to void

        class generations:  # noqa: N801
            @staticmethod
            def bump_everything():
                pass

    from roster.models import Group, Placement, Unit

    alva = Child.objects.get(given_name="Alva", family_name="Andersson")
    solrosen = Unit.objects.get(code="DEMO-SOLROSEN")
    norrskolan = Unit.objects.get(code="DEMO-NORRSKOLAN")
    class_3b = Group.objects.get(name="3B", unit__code="DEMO-NORRSKOLAN")
    largest = (
        Unit.objects.filter(kind="grundskola", placements__end_date__isnull=True)
        .annotate(n=Count("placements"))
        .order_by("-n")
        .first()
    )
    largest_pupils = Placement.objects.filter(unit=largest, end_date__isnull=True).count()
    term = stats.current_term()
    early = term.start_date + timedelta(days=14)
    late = min(term.end_date, early + timedelta(days=200)) - timedelta(days=3)
    # The principal may read the largest school's statistics too.
    from roster.models import StaffDuty

    rektor = User.objects.get(email="rektor@example.se")
    StaffDuty.objects.get_or_create(
        user=rektor, unit=largest, defaults={"role": "rektor", "start_date": term.start_date}
    )
    generations.bump_everything()

    pages = [
        ("trivial: /robots.txt", None, "/robots.txt", "warm", None),
        ("Hub warm, guardian with 1 child (bo)", "bo.berg@example.se", "/", "warm", None),
        ("Hub cold, guardian with 1 child (bo)", "bo.berg@example.se", "/", "cold", None),
        ("Hub warm, guardian with 3 children (carin)", "carin.carlsson@example.se", "/", "warm", None),
        ("Hub cold, guardian with 3 children (carin)", "carin.carlsson@example.se", "/", "cold", None),
        ("Hub warm, teacher (larare.3b)", "larare.3b@example.se", "/", "warm", None),
        ("Hub cold, teacher (larare.3b)", "larare.3b@example.se", "/", "cold", None),
        ("Hub after a sick report, guardian with 3 children", "carin.carlsson@example.se", "/", "child", None),
        ("Hub after another change to one child (carin)", "carin.carlsson@example.se", "/", "child-any", None),
        ("Hub warm, principal (2 units)", "rektor@example.se", "/", "warm", None),
        ("Hub cold, principal (2 units)", "rektor@example.se", "/", "cold", None),
        ("Information list, guardian", "anna.andersson@example.se", "/information/", "warm", None),
        ("Kalender month, guardian", "anna.andersson@example.se", "/kalender/", "warm", None),
        ("Care schedule weeks, guardian", "anna.andersson@example.se", f"/schema/barn/{alva.pk}/", "warm", None),
        ("Care day list, preschool staff", "pedagog.solen@example.se", f"/schema/enhet/{solrosen.pk}/", "warm", None),
        (
            "Planning chart, preschool staff",
            "pedagog.solen@example.se",
            f"/schema/enhet/{solrosen.pk}/planering/",
            "warm",
            None,
        ),
        (
            "Care check-in tablet, preschool staff",
            "pedagog.solen@example.se",
            f"/schema/enhet/{solrosen.pk}/incheckning/",
            "warm",
            None,
        ),
        ("Today's absence, teacher", "larare.3b@example.se", "/franvaro/idag/", "warm", None),
        ("Absence overview, guardian", "anna.andersson@example.se", "/franvaro/", "warm", None),
        ("Lesson attendance, teacher (3B)", "larare.3b@example.se", _lesson_url(class_3b), "warm", None),
        ("Timetable week, guardian", "anna.andersson@example.se", "/skola/schema/", "warm", None),
    ]
    for when, day in (("week 2", early), ("last week", late)):
        pages += [
            (
                f"Statistics 3B, teacher, {when}",
                "larare.3b@example.se",
                f"/franvaro/statistik/grupp/{class_3b.pk}/",
                "warm",
                day,
            ),
            (
                f"Statistics Norrskolan, principal, {when}",
                "rektor@example.se",
                f"/franvaro/statistik/enhet/{norrskolan.pk}/",
                "warm",
                day,
            ),
            (
                f"Statistics {largest.name} ({largest_pupils} p.), {when}",
                "rektor@example.se",
                f"/franvaro/statistik/enhet/{largest.pk}/",
                "warm",
                day,
            ),
        ]
    if args.only:
        pages = [pages[0]] + [p for p in pages[1:] if args.only.lower() in p[0].lower()]
    inprocess_client_for = client_for
    if args.http:
        # The server's clock cannot travel: the statistics rows run on today's date (once each).
        seen, kept = set(), []
        for label, email, url, mode, day in pages:
            if day is not None:
                label = label.rsplit(", ", 1)[0] + ", today"
                if label in seen:
                    continue
                seen.add(label)
            kept.append((label, email, url, mode, None))
        pages = kept
        client_for, stop_server = _http_clients()
    import time_machine

    results = []
    for label, email, url, mode, day in pages:
        travel = (
            time_machine.travel(datetime.combine(day, dtime(9, 30), tzinfo=ZoneInfo("Europe/Stockholm")), tick=True)
            if day
            else None
        )
        if travel:
            travel.start()
        client = client_for(email)
        client.get(url)  # warm up
        count: list[str] = []
        counted = inprocess_client_for(email)

        def counting(execute, sql, params, many, context, count=count):
            count.append(sql)
            return execute(sql, params, many, context)

        def void(mode=mode, email=email):
            """cold: every cached entry; child: what a sick report for one child voids (its
            absence topic and its units' staff views), the everyday case after a change;
            child-any: any other change to one child (every box of that child)."""
            if mode == "cold":
                generations.bump_everything()
            elif mode in ("child", "child-any"):
                from hub.cache import bump
                from roster.models import Guardianship

                child_id = (
                    Guardianship.objects.filter(guardian__email=email)
                    .order_by("child__date_of_birth")
                    .values_list("child_id", flat=True)[0]
                )
                try:  # a sick report bumps the child's absence topic only (absence.services)
                    from hub.registry import ABSENCE
                except ImportError:  # a revision from before child topics
                    ABSENCE = None  # noqa: N806
                if mode == "child" and ABSENCE:
                    bump(child_ids=[child_id], topic=ABSENCE)
                else:
                    bump(child_ids=[child_id])

        void()
        with connection.execute_wrapper(counting):
            response = counted.get(url)
            assert response.status_code == 200, (label, response.status_code)
        if mode == "warm":  # the count above may have been a first load: count a warm one
            count.clear()
            with connection.execute_wrapper(counting):
                counted.get(url)
        # Interleaved with the trivial view, round by round, so that the ratio holds on a
        # machine whose load changes during the run.
        trivial = client_for(None)
        times, base_times = [], []
        for _ in range(args.rounds):
            started = time.perf_counter()
            trivial.get("/robots.txt")
            base_times.append(time.perf_counter() - started)
            void()
            started = time.perf_counter()
            timed = client.get(url)
            times.append(time.perf_counter() - started)
            assert timed.status_code == 200, (label, timed.status_code)
        if travel:
            travel.stop()
        results.append((label, statistics.median(times), statistics.median(base_times), len(count)))
    if args.http:
        stop_server()
        print("over HTTP, one gunicorn sync worker; queries counted in-process for the same request")
    print(f"{'page':<52} {'median ms':>10} {'trivial ms':>10} {'ratio':>7} {'queries':>8}")
    for label, median, base, queries in results:
        print(f"{label:<52} {median * 1000:>10.2f} {base * 1000:>10.2f} {median / base:>7.1f} {queries:>8}")


def _lesson_url(group) -> str:
    """The attendance sheet of the group's first lesson today, or on the latest school day
    before (a weekend run opens Friday's sheet, as a teacher registering late does)."""
    from django.utils import timezone

    from school.models import Lesson

    day = timezone.localdate()
    for _ in range(14):
        lesson = Lesson.objects.filter(group=group, weekday=day.weekday()).order_by("start_time").first()
        if lesson is not None:
            return f"/franvaro/lektion/{lesson.pk}/{day.isoformat()}/"
        day -= timedelta(days=1)
    raise RuntimeError(f"{group} has no lessons")


def start_gunicorn(tree: Path = ROOT, **env_overrides: str):
    """(port, process): one gunicorn sync worker (DEBUG off) serving the code in `tree` on this
    environment's database and cache (`env_overrides` on top), once it accepts connections."""
    import socket
    import subprocess

    from django.conf import settings

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, ALLOWED_HOSTS="127.0.0.1", DEBUG="0", SECRET_KEY=settings.SECRET_KEY, **env_overrides)
    command = [str(Path(tree) / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--worker-class", "sync", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=tree, env=env)  # noqa: S603 - our own gunicorn
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return port, server


def session_cookie(email: str) -> str:
    """`name=key` of a real session for this person, as a login makes it (in the database
    too, so that a server on another cache finds it)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    from accounts.models import User

    user = User.objects.get(email=email)
    session = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "accounts.backends.AuthenticationBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _http_clients():
    """(client_for, stop): clients that GET over HTTP from a gunicorn process started here on
    the same settings, logged in with real sessions (the session store is shared)."""
    import http.client

    from django.conf import settings

    port, server = start_gunicorn()

    class HttpClient:
        def __init__(self, email):
            self.cookie = session_cookie(email) if email else ""
            self.kept: dict[str, str] = {}

        def get(self, url):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            cookie = "; ".join(filter(None, [self.cookie, *self.kept.values()]))
            connection.request("GET", url, headers={"Cookie": cookie} if cookie else {})
            response = connection.getresponse()
            response.read()
            connection.close()
            # Keep the cookies the server sets (the CSRF cookie), as a browser does.
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                if name != settings.SESSION_COOKIE_NAME:
                    self.kept[name] = f"{name}={rest.split(';', 1)[0]}"
            response.status_code = response.status
            return response

    def stop():
        server.terminate()
        server.wait(10)

    return HttpClient, stop


if __name__ == "__main__":
    main()
