"""The JSON API: discovery, device tokens, Swedish JSON errors, the schedule lock through the
API, audit of writes, rate limits per token, and query budgets at two data sizes."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from accounts.models import AuditEvent
from accounts.services import device_pair, pairing_code_create
from tests.budgets import VIEWER
from tests.test_query_budgets import _cold

pytestmark = pytest.mark.django_db

SESSION = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # Rate-limit counters live in the cache; each test starts from zero.
    cache.clear()


def token_for(user, name="Telefon") -> str:
    code, _expires = pairing_code_create(user=user)
    return device_pair(code=code, name=name)[1]


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_routes_come_from_each_apps_api_module():
    from importlib import import_module

    from api.core import discover
    from api.urls import api

    with_api = {
        c.label
        for c in apps.get_app_configs()
        if c.name != "api"
        and module_has_submodule(c.module, "api")
        and hasattr(import_module(f"{c.name}.api"), "router")
    }
    paths = api.get_openapi_schema()["paths"]
    assert {p.split("/")[3] for p in paths} == with_api
    # No list of apps to keep up to date: at least the platform's own and one domain app.
    assert {"accounts", "hub", "absence"} <= with_api
    assert callable(discover)


def test_api_package_imports_no_domain_app():
    import ast
    from pathlib import Path

    # Every app of the project but the API itself and accounts (authentication, below it): a new
    # app is covered without being listed.
    root = Path(settings.BASE_DIR).resolve()
    ours = [c for c in apps.get_app_configs() if root in Path(c.path).resolve().parents]
    domain = {c.label for c in ours if "site-packages" not in Path(c.path).parts} - {"api", "accounts"}
    assert {"hub", "roster", "schedules", "absence"} <= domain
    for path in Path(settings.BASE_DIR, "api").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not {n.split(".")[0] for n in names} & domain, f"{path.name} imports a domain app: {names}"


def test_openapi_document_describes_routes_and_both_authentications(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    assert "/api/v1/absence/reports" in doc["paths"]
    schemes = doc["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} >= {"http", "apiKey"}
    docs = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs  # vendored, no CDN
    assert "cdn" not in docs.lower()


def test_unauthenticated_gets_json_401_in_swedish(client):
    response = client.get("/api/v1/hub/children")
    assert response.status_code == 401
    assert response.json() == {"detail": "Logga in eller ange en giltig enhetstoken."}
    assert client.get("/api/v1/hub/children", **bearer("skh_not-a-token")).status_code == 401


def test_a_guardian_reads_children_and_hub_boxes_with_a_token(personas, demo):
    token = token_for(personas["guardian"])
    children = Client().get("/api/v1/hub/children", **bearer(token)).json()
    assert {c["given_name"] for c in children} == {"Alva", "Elias"}
    boxes = Client().get(f"/api/v1/hub/children/{demo['alva'].pk}/boxes", **bearer(token)).json()
    keys = {b["key"] for b in boxes}
    assert keys, boxes
    assert all(not b["locked"] or b["data"] is None for b in boxes)
    other = Client().get(f"/api/v1/hub/children/{demo['bella'].pk}/boxes", **bearer(token))
    assert other.status_code == 404
    assert other.json() == {"detail": "Hittades inte."}


def test_bad_input_gets_swedish_messages_per_field_and_changes_nothing(personas, demo):
    from absence.models import AbsenceReport

    token = token_for(personas["guardian"])
    before = AbsenceReport.objects.count()
    response = Client().post(
        "/api/v1/absence/reports",
        {"children": [demo["elias"].pk], "start_date": "igår", "end_date": "2026-13-01"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 422
    assert response.json() == {
        "errors": {"start_date": ["Ange ett datum som ÅÅÅÅ-MM-DD."], "end_date": ["Ange ett datum som ÅÅÅÅ-MM-DD."]}
    }
    past = (timezone.localdate() - timedelta(days=3)).isoformat()
    response = Client().post(
        "/api/v1/absence/reports",
        {"children": [demo["elias"].pk], "start_date": past, "end_date": past},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 400
    assert all(isinstance(m, str) for msgs in response.json()["errors"].values() for m in msgs)
    assert AbsenceReport.objects.count() == before


def test_the_schedule_lock_holds_through_the_api(personas, demo):
    from schedules.models import DayEntry
    from schedules.selectors import first_open_day

    token = token_for(personas["guardian"])
    url = f"/api/v1/schedules/children/{demo['alva'].pk}/days"
    today = timezone.localdate().isoformat()
    seen = Client().get(f"/api/v1/schedules/children/{demo['alva'].pk}/weeks", **bearer(token)).json()["version"]
    missing = Client().put(
        url, {"start_date": today, "kind": "ledig"}, content_type="application/json", **bearer(token)
    )
    assert missing.status_code in (400, 422)  # the version is required
    locked = Client().put(
        url, {"start_date": today, "kind": "ledig", "version": seen}, content_type="application/json", **bearer(token)
    )
    assert locked.status_code == 400
    assert "start_date" in locked.json()["errors"]
    assert not DayEntry.objects.filter(child=demo["alva"], date=timezone.localdate()).exists()
    start = first_open_day()
    ok = Client().put(
        url,
        {
            "start_date": start.isoformat(),
            "end_date": (start + timedelta(days=6)).isoformat(),
            "kind": "ledig",
            "version": seen,
        },
        content_type="application/json",
        **bearer(token),
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["changed"] >= 1
    weeks = Client().get(f"/api/v1/schedules/children/{demo['alva'].pk}/weeks", **bearer(token)).json()
    assert weeks["version"] == ok.json()["version"]
    stale = Client().put(
        url,
        {"start_date": start.isoformat(), "kind": "base", "version": weeks["version"] - 1},
        content_type="application/json",
        **bearer(token),
    )
    assert stale.status_code == 400


def test_writes_are_audited_like_their_web_twins(personas, demo):
    from absence.calendar import next_school_day

    token = token_for(personas["guardian"])
    day = next_school_day(next_school_day(timezone.localdate()))
    created = Client().post(
        "/api/v1/absence/reports",
        {
            "children": [demo["elias"].pk],
            "start_date": day.isoformat(),
            "end_date": (day + timedelta(days=2)).isoformat(),
        },
        content_type="application/json",
        **bearer(token),
    )
    assert created.status_code == 201
    report_id = created.json()[0]["id"]
    event = AuditEvent.objects.get(object_type="absence.absencereport", object_id=str(report_id), action="create")
    assert event.actor == personas["guardian"]
    ended = Client().post(
        f"/api/v1/absence/reports/{report_id}/end",
        {"back_on": (day + timedelta(days=1)).isoformat()},
        content_type="application/json",
        **bearer(token),
    )
    assert ended.status_code == 200
    assert ended.json()["report"]["end_date"] == day.isoformat()
    listed = Client().get("/api/v1/absence/reports", **bearer(token)).json()
    assert report_id in {r["id"] for r in listed}


def test_session_writes_need_the_csrf_token(personas, demo):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["guardian"], backend="accounts.backends.AuthenticationBackend")
    response = client.post("/api/v1/absence/leave", {}, content_type="application/json")
    assert response.status_code in {401, 403}
    token = token_for(personas["guardian"])
    # A bearer token needs no CSRF token (it is not sent automatically by a browser).
    day = (timezone.localdate() + timedelta(days=14)).isoformat()
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/absence/leave",
        {"child_id": demo["elias"].pk, "start_date": day, "end_date": day, "reason": "Resa"},
        content_type="application/json",
        **bearer(token),
    )
    assert response.status_code == 201, response.content


def test_rate_limit_is_per_token(personas, settings):
    settings.SKOLHUBB_API_RATE_LIMIT = "3/m"
    first, second = token_for(personas["guardian"], "A"), token_for(personas["guardian"], "B")
    codes = [Client().get("/api/v1/accounts/me", **bearer(first)).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = Client().get("/api/v1/accounts/me", **bearer(first))
    assert limited.json() == {"detail": "För många anrop. Vänta en stund och försök igen."}
    assert int(limited["Retry-After"]) >= 1
    assert Client().get("/api/v1/accounts/me", **bearer(second)).status_code == 200


def test_pairing_attempts_are_rate_limited_per_address(settings):
    settings.SKOLHUBB_API_PAIRING_RATE_LIMIT = "2/m"
    codes = [
        Client()
        .post("/api/v1/accounts/pair", {"code": "AAAA-BBBB", "name": "x"}, content_type="application/json")
        .status_code
        for _ in range(3)
    ]
    assert codes == [400, 400, 429]


# --- Query budgets: the main list endpoints at two data sizes ----------------------------------

# With a device token: 1 device (with its user), then the viewer (own children with their
# placements, staff duties). (No session query: a token request has no session.)
TOKEN_BASE = 1 + VIEWER


def _more_news(demo, count):
    from hub.models import NewsItem

    now = timezone.now()
    NewsItem.objects.bulk_create(
        NewsItem(title=f"Nyhet {i}", unit=demo["norrskolan"], group=demo["3b"], publish_at=now - timedelta(hours=i))
        for i in range(count)
    )


def _more_reports(demo, count):
    from absence.models import AbsenceReport, LeaveApplication

    start = timezone.localdate() + timedelta(days=30)
    AbsenceReport.objects.bulk_create(
        AbsenceReport(
            child=demo["elias"], start_date=start + timedelta(days=2 * i), end_date=start + timedelta(days=2 * i)
        )
        for i in range(count)
    )
    LeaveApplication.objects.bulk_create(
        LeaveApplication(
            child=demo["elias"],
            start_date=start + timedelta(days=i),
            end_date=start + timedelta(days=i),
            reason="Resa",
            state=LeaveApplication.State.PENDING,
        )
        for i in range(count)
    )


@pytest.mark.parametrize("rows", [2, 40])
def test_list_endpoint_budgets(rows, personas, demo, django_assert_num_queries):
    _more_news(demo, rows)
    _more_reports(demo, rows)
    token = token_for(personas["guardian"])
    client = Client()
    client.get("/api/v1/accounts/me", **bearer(token))  # marks the device used (once a minute)
    # children: the viewer only
    _cold()  # the viewer is cached between requests: measure it cold
    with django_assert_num_queries(TOKEN_BASE):
        assert client.get("/api/v1/hub/children", **bearer(token)).status_code == 200
    # news: + count, one page
    _cold()  # the viewer is cached between requests: measure it cold
    with django_assert_num_queries(TOKEN_BASE + 2):
        assert len(client.get("/api/v1/hub/news", **bearer(token)).json()["items"]) >= min(rows, 20)
    # calendar: + events
    _cold()  # the viewer is cached between requests: measure it cold
    with django_assert_num_queries(TOKEN_BASE + 1):
        assert client.get("/api/v1/hub/calendar", **bearer(token)).status_code == 200
    # absence reports and leave: + one query each
    _cold()  # the viewer is cached between requests: measure it cold
    with django_assert_num_queries(TOKEN_BASE + 1):
        assert len(client.get("/api/v1/absence/reports", **bearer(token)).json()) >= rows
    _cold()  # the viewer is cached between requests: measure it cold
    with django_assert_num_queries(TOKEN_BASE + 1):
        assert len(client.get("/api/v1/absence/leave", **bearer(token)).json()) >= rows


@pytest.mark.parametrize("role", ["guardian", "other_guardian"])
def test_children_budget_for_one_or_two_children(role, personas, client_for, django_assert_num_queries):
    # With the browser session: session, user, the viewer.
    client = client_for(role)
    with django_assert_num_queries(SESSION + 1 + VIEWER):
        assert client.get("/api/v1/hub/children").status_code == 200
