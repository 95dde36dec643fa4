"""Project-wide fixtures: the demo municipality loaded once per test session, and one
logged-in client per persona (the demo accounts).

Personas: guardian (anna.andersson), other_guardian (bo.berg, another family), student
(elev.elias), teacher (larare.3b, mentor of 3B), other_staff (pedagog.solen, another
unit), principal (rektor, Norrskolan), admin (superuser).
"""

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from config.celery import app as celery_app

# e-ID fixtures: eid_login(client, user), eid_client_for(role) (accounts/testing.py).
pytest_plugins = ["accounts.testing"]

# The whole suite runs on one ordinary school day (a Monday in term, no holiday near), with
# the clock ticking from there: the demo data and every test see the same calendar, so a run
# on a Saturday or on Christmas Eve checks the same things as one on a Tuesday. Tests that
# need another moment travel further with time_machine themselves.
SUITE_NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def pytest_configure(config):
    time_machine.travel(SUITE_NOW, tick=True).start()


PERSONAS = {
    "guardian": "anna.andersson@example.se",
    "other_guardian": "bo.berg@example.se",
    "student": "elev.elias@example.se",
    "teacher": "larare.3b@example.se",
    "other_staff": "pedagog.solen@example.se",
    "principal": "rektor@example.se",
    "admin": "admin@example.se",
}
ROLES = ["anonymous", *PERSONAS]


def require_service(available: bool, what: str) -> None:
    """Skip when a service is missing, or fail when SKOLHUBB_REQUIRE_SERVICES=1 (CI)."""
    if available:
        return
    if settings.SKOLHUBB_REQUIRE_SERVICES:
        pytest.fail(f"{what} is required (SKOLHUBB_REQUIRE_SERVICES=1) but not available")
    pytest.skip(f"{what} not available")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from demo.seed import seed_demo

    with django_db_blocker.unblock():
        seed_demo()


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Tasks run in-process unless a test asks for the real broker and worker."""
    eager = "real_celery" not in request.keywords
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def personas(db):
    from accounts.models import User

    users = {u.email: u for u in User.objects.filter(email__in=PERSONAS.values())}
    return {role: users[email] for role, email in PERSONAS.items()}


@pytest.fixture
def client_for(personas):
    """client_for("guardian") → a Client logged in with a password (assurance low)."""

    def make(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(personas[role], backend="accounts.backends.AuthenticationBackend")
        return client

    return make


@pytest.fixture
def demo(db):
    """Named objects of the demo municipality."""
    from hub.models import Event, NewsItem
    from roster.models import Child, Group, Unit

    return {
        "alva": Child.objects.get(given_name="Alva", family_name="Andersson"),
        "elias": Child.objects.get(given_name="Elias", family_name="Andersson"),
        "bella": Child.objects.get(given_name="Bella", family_name="Berg"),
        "dennis": Child.objects.get(given_name="Dennis", family_name="Dahl"),
        "solrosen": Unit.objects.get(code="DEMO-SOLROSEN"),
        "norrskolan": Unit.objects.get(code="DEMO-NORRSKOLAN"),
        "fritids": Unit.objects.get(code="DEMO-NORRSKOLAN-FRITIDS"),
        "solen": Group.objects.get(name="Solen"),
        "3b": Group.objects.get(name="3B", unit__code="DEMO-NORRSKOLAN"),
        "solen_news": NewsItem.objects.get(title="Veckan på Solen"),
        "3b_news": NewsItem.objects.get(title="Veckobrev 3B"),
        "solrosen_event": Event.objects.get(title="Föräldramöte", unit__code="DEMO-SOLROSEN", group__isnull=True),
    }


def pytest_collection_finish(session):
    """A whole-suite run (`make test`, no paths given) fails when a test file in the
    repository produced no tests: a file pytest silently skipped (a wrong name, a folder
    left out) must not pass for covered."""
    from pathlib import Path

    root = Path(session.config.rootpath)
    if [Path(a).resolve() for a in session.config.args] != [root.resolve()]:
        return  # a chosen subset of the suite
    option = session.config.option
    if option.keyword or option.markexpr or getattr(option, "lf", False):
        return  # selected by name, marker or last failure
    collected = {Path(str(item.path)).resolve() for item in session.items}
    skipped_dirs = {"venv", "node_modules", "var", "staticfiles"}
    missing = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root)
        if set(rel.parts) & skipped_dirs or any(part.startswith(".") for part in rel.parts):
            continue
        name = path.name
        looks_like_tests = name.startswith("test_") or name.endswith("_test.py") or name == "tests.py"
        if looks_like_tests and path.resolve() not in collected:
            missing.append(str(rel))
    if missing:
        raise pytest.UsageError(
            "These test files produced no tests (name them test_*.py inside the repository, "
            "with at least one test): " + ", ".join(sorted(missing))
        )


def pytest_report_header(config):
    db = os.environ.get("DATABASE_URL", "SQLite")
    redis = "Redis" if os.environ.get("REDIS_URL") else "no Redis (Celery eager, local cache)"
    return f"skolhubb: database={db.split('@')[-1]}, {redis}, require_services={settings.SKOLHUBB_REQUIRE_SERVICES}"


# --- A real Celery worker against Redis ----------------------------------------------------


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path, request):
    """A real `celery worker` subprocess on the Redis broker, using the test database.

    The test must be marked `@pytest.mark.real_celery` (so tasks are not run eagerly) and
    uses `transactional_db`, so what it writes is committed and the worker can see it.
    Mail the worker sends lands as files in the returned `mail_dir`. Skips without Redis;
    fails instead with SKOLHUBB_REQUIRE_SERVICES=1.
    """
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.db import connection

    require_service(bool(settings.REDIS_URL), "Redis (REDIS_URL)")
    if "real_celery" not in request.keywords:
        pytest.fail("mark the test with @pytest.mark.real_celery")
    celery_app.control.purge()
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        database_url = f"sqlite:///{Path(db['NAME']).resolve()}"
    else:
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        )
    mail_dir = tmp_path / "mail"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DATABASE_POOL": "0",
        "EMAIL_FILE_PATH": str(mail_dir),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    env.pop("EMAIL_HOST", None)
    log = (tmp_path / "worker.log").open("w")
    # The worker lives on the suite's clock too (see SUITE_NOW), from the test's "now" on.
    boot = (
        "import sys, datetime, time_machine; "
        "time_machine.travel(datetime.datetime.fromisoformat(sys.argv.pop(1)), tick=True).start(); "
        "from celery.__main__ import main; sys.argv[0] = 'celery'; sys.exit(main())"
    )
    from django.utils import timezone

    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            boot,
            timezone.now().isoformat(),
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    # Wait until the worker is consuming, so a task sent now is picked up.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail("celery worker exited:\n" + (tmp_path / "worker.log").read_text())
        if "ready." in (tmp_path / "worker.log").read_text():
            break
        time.sleep(0.3)
    else:
        process.terminate()
        pytest.fail("celery worker did not start:\n" + (tmp_path / "worker.log").read_text())
    yield {"mail_dir": mail_dir, "log": tmp_path / "worker.log"}
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


def wait_for_mail(mail_dir, *, timeout: float = 60.0, count: int = 1) -> list[str]:
    """The messages the worker wrote, once there are `count` of them (or fail)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted(mail_dir.glob("*.log")) if mail_dir.exists() else []
        texts = [f.read_text(encoding="utf-8") for f in files]
        if sum(t.count("\nSubject: ") + t.startswith("Subject: ") for t in texts) >= count:
            return texts
        time.sleep(0.3)
    pytest.fail(f"no mail from the worker within {timeout} s in {mail_dir}")


# --- Browser tests: Debian's Chromium driven by Playwright ----------------------------------

CHROMIUM = os.environ.get("SKOLHUBB_CHROMIUM", "/usr/bin/chromium")
AXE_JS = settings.BASE_DIR / "tests" / "browser" / "vendor" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def pg_demo(transactional_db):
    """The demo municipality on PostgreSQL, committed (no test transaction): for requests
    racing on their own connections (tests/test_races.py), and for statements, which are
    prepared and pipelined only outside a transaction (hub/tests/test_round_trips.py)."""
    from django.db import connection, connections

    from demo.seed import seed_demo

    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")
    seed_demo()
    yield
    connections.close_all()


@pytest.fixture
def demo_live_server(transactional_db, live_server):
    """The live server with the demo municipality loaded (the transactional DB starts empty)."""
    from demo.seed import seed_demo

    seed_demo()
    return live_server


@pytest.fixture
def browser_page(demo_live_server, monkeypatch):
    """A phone-sized page in headless Chromium. Fails the test on a CSP violation or a
    JavaScript error in the page."""
    require_service(os.path.exists(CHROMIUM), f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the fixtures
    # make around it are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
            ],
        )
        context = browser.new_context(viewport=PHONE, locale="sv-SE")
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.base_url = demo_live_server.url
        yield page
        # ORM calls the test made while Playwright's loop ran got their own connection
        # (Django keeps connections per context); close it here, or PostgreSQL refuses to
        # drop the test database at the end of the session.
        from django.db import connections

        connections.close_all()
        context.close()
        browser.close()
    assert not problems, f"errors in the browser console (CSP or JavaScript): {problems}"


def browser_login(page, email: str, password: str = "skolhubb-demo") -> None:
    page.goto(page.base_url + "/konto/login/")
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state("networkidle")


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A/AA violations on the current page, as readable lines (empty is good)."""
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in result["violations"]
    ]


def screenshot(page, name: str) -> None:
    """Keep a picture for people to look at (var/screenshots), not an assertion."""
    folder = settings.VAR_DIR / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached viewers and Hub boxes are keyed by ids
    that the next test's rolled-back database reuses for other rows."""
    from django.core.cache import cache

    cache.clear()
    yield
