"""Two versions of the code, over HTTP, in turns request by request.

    .venv/bin/python tests/load/bench_ab.py /path/to/tree-a /path/to/tree-b \
        --emails carin.carlsson@example.se,rektor@example.se [--rounds 60] [--warm]

`bench_pages.py --http` times one version at a time, and this machine's speed drifts by 10–25 %
between runs of the same code: two versions run one after the other differ by more than the
change between them. Here each tree (a checkout of its own, e.g. `git worktree add`, sharing
this one's virtualenv) gets its own gunicorn process (one sync worker, DEBUG off) on the same
database (DATABASE_URL) and its own Redis database (REDIS_URL's number, then the next), and
every round asks both, in alternating order: `/robots.txt`, then the Hub (cold unless --warm:
every cached entry voided first, in both Redis databases). Prints the median Hub time and the
ratio to `/robots.txt` per tree; the same tree on both sides differs by about 2 %.

A change to the schema (an index, a column) needs each tree on its own database: `--database-a
URL` runs the first tree on a copy (`createdb -T`, then migrated to that tree's state); the
benchmark's sessions are copied into it.
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("trees", nargs=2)
    parser.add_argument("--emails", default="carin.carlsson@example.se,rektor@example.se")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--warm", action="store_true")
    parser.add_argument("--database-a", default="", help="the first tree's own database (a copy)")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from bench_pages import session_cookie, start_gunicorn  # this folder: the script's own
    from django.conf import settings
    from django.core.cache.backends.redis import RedisCache

    from config import generations

    if not settings.REDIS_URL:
        parser.error("needs REDIS_URL (each tree gets its own Redis database)")
    base_url, _slash, number = settings.REDIS_URL.rpartition("/")
    databases = [f"{base_url}/{int(number or 0) + i}" for i in range(2)]
    options = {k: v for k, v in settings.CACHES["default"].items() if k in ("KEY_PREFIX", "VERSION", "OPTIONS")}
    second_cache = RedisCache(databases[1], options)

    def void():
        generations.bump_everything()
        second_cache.set_many({generations.EPOCH: generations._token()}, generations.GENERATION_TIMEOUT)

    servers = []

    def get(port: int, url: str, cookie: str | None = None) -> float:
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", url, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        connection.close()
        assert response.status == 200, (url, response.status)
        return time.perf_counter() - started

    try:
        for index, (tree, redis_url) in enumerate(zip(args.trees, databases, strict=True)):
            own = {"DATABASE_URL": args.database_a} if index == 0 and args.database_a else {}
            servers.append(start_gunicorn(Path(tree), REDIS_URL=redis_url, **own))
        ports = [port for port, _server in servers]
        for email in args.emails.split(","):
            cookie = session_cookie(email)
            if args.database_a:
                _copy_session(cookie.partition("=")[2], args.database_a)
            for port in ports:
                for _ in range(5):
                    void()
                    get(port, "/", cookie)
            times = {port: ([], []) for port in ports}
            for i in range(args.rounds):
                for port in ports if i % 2 == 0 else ports[::-1]:
                    times[port][1].append(get(port, "/robots.txt"))
                    if not args.warm:
                        void()
                    times[port][0].append(get(port, "/", cookie))
            line = [f"{email.split('@')[0]:<16}"]
            for tree, port in zip(args.trees, ports, strict=True):
                page, trivial = (statistics.median(t) * 1000 for t in times[port])
                line.append(f"{Path(tree).name}: {page:6.2f} ms / {trivial:5.2f} = {page / trivial:5.1f}×")
            print("   ".join(line), flush=True)
    finally:
        for _port, server in servers:
            server.terminate()
            server.wait(10)


def _copy_session(key: str, url: str) -> None:
    import psycopg
    from django.contrib.sessions.models import Session

    row = Session.objects.values_list("session_key", "session_data", "expire_date").get(session_key=key)
    with psycopg.connect(url, autocommit=True) as other:
        other.execute("INSERT INTO django_session VALUES (%s, %s, %s)", row)


if __name__ == "__main__":
    main()
