"""Benchmark: how much slower the Hub and list pages are than a trivial view, same run.

    .venv/bin/python tests/load/bench_pages.py --pupils 20000 [--rounds 30]

Builds (once) a municipality of N pupils in its own SQLite file under var/bench-N/ (or uses
DATABASE_URL), then times each page in-process with Django's test client and prints the
median time and the ratio to /robots.txt, plus the query count per page. A ratio, not a
wall-clock number, so it means the same on a fast and a slow machine.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pupils", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
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

    from roster.models import Group, Unit

    alva = Child.objects.get(given_name="Alva", family_name="Andersson")
    solrosen = Unit.objects.get(code="DEMO-SOLROSEN")
    class_3b = Group.objects.get(name="3B", unit__code="DEMO-NORRSKOLAN")
    pages = [
        ("trivial: /robots.txt", None, "/robots.txt"),
        ("Hub, guardian with 1 child (bo)", "bo.berg@example.se", "/"),
        ("Hub, guardian with 3 children (carin)", "carin.carlsson@example.se", "/"),
        ("Hub, teacher (larare.3b)", "larare.3b@example.se", "/"),
        ("Hub, principal (2 units)", "rektor@example.se", "/"),
        ("Information list, guardian", "anna.andersson@example.se", "/information/"),
        ("Kalender month, guardian", "anna.andersson@example.se", "/kalender/"),
        ("Care schedule weeks, guardian", "anna.andersson@example.se", f"/schema/barn/{alva.pk}/"),
        ("Care day list, preschool staff", "pedagog.solen@example.se", f"/schema/enhet/{solrosen.pk}/"),
        ("Planning chart, preschool staff", "pedagog.solen@example.se", f"/schema/enhet/{solrosen.pk}/planering/"),
        ("Today's absence, teacher", "larare.3b@example.se", "/franvaro/idag/"),
        ("Absence statistics 3B, teacher", "larare.3b@example.se", f"/franvaro/statistik/grupp/{class_3b.pk}/"),
        ("Timetable week, guardian", "anna.andersson@example.se", "/skola/schema/"),
    ]
    results = []
    for label, email, url in pages:
        client = client_for(email)
        client.get(url)  # warm up
        count: list[str] = []

        def counting(execute, sql, params, many, context, count=count):
            count.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            assert client.get(url).status_code == 200
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - started)
        results.append((label, statistics.median(times), len(count)))
    base = results[0][1]
    print(f"{'page':<42} {'median ms':>10} {'ratio':>7} {'queries':>8}")
    for label, median, queries in results:
        print(f"{label:<42} {median * 1000:>10.2f} {median / base:>7.1f} {queries:>8}")


if __name__ == "__main__":
    main()
