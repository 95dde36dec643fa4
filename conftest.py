"""Project-wide fixtures: the demo municipality loaded once per test session, and one
logged-in client per persona (the demo accounts).

Personas: guardian (anna.andersson), other_guardian (bo.berg, another family), student
(elev.elias), teacher (larare.3b, mentor of 3B), other_staff (pedagog.solen, another
unit), principal (rektor, Norrskolan), admin (superuser).
"""

import os

import pytest
from django.conf import settings
from django.test import Client

from config.celery import app as celery_app

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
            client.force_login(personas[role], backend="allauth.account.auth_backends.AuthenticationBackend")
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
        "solrosen_event": Event.objects.get(title="Planeringsdag – förskolan stängd"),
    }


def pytest_report_header(config):
    db = os.environ.get("DATABASE_URL", "SQLite")
    redis = "Redis" if os.environ.get("REDIS_URL") else "no Redis (Celery eager, local cache)"
    return f"skolhubb: database={db.split('@')[-1]}, {redis}, require_services={settings.SKOLHUBB_REQUIRE_SERVICES}"
