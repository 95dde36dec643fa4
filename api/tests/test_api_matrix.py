"""The API access matrix: every API route × every role, from the rows each app lists in its
own APP/tests/api_matrix.py. A route nobody lists fails the first test. Same rule as the
site: a child, report or item the viewer has no relation to answers 404; read-only 403;
no login 401 (JSON)."""

import itertools
import json
import re

import pytest

from api.testing import ROLES, matrix_modules
from tests.urlwalk import all_url_names

_counter = itertools.count()


def _cases():
    return [case for module in matrix_modules() for case in getattr(module, "CASES", [])]


def _listed():
    return {(case.method, case.route) for case in _cases()}


def _operations():
    from api.urls import api

    schema = api.get_openapi_schema()
    found = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    # The document and the docs page are API URLs too.
    return found | {("GET", "/api/v1/openapi.json"), ("GET", "/api/v1/docs"), ("GET", "/api/v1/")}


def test_every_api_route_is_in_the_matrix():
    missing = sorted(_operations() - _listed())
    assert not missing, (
        "API routes missing from the matrix: add a Case per route to the app's tests/api_matrix.py: "
        + ", ".join(f"{m} {p}" for m, p in missing)
    )
    stale = sorted(_listed() - _operations())
    assert not stale, f"The matrix lists API routes that do not exist: {stale}"


def test_every_api_url_pattern_belongs_to_a_listed_route():
    routes = {re.sub(r"\{(\w+)\}", r"<\1>", path).lstrip("/") for _m, path in _listed()}
    unlisted = sorted(
        name for name, route in all_url_names().items() if name.startswith("api-v1:") and route not in routes
    )
    assert unlisted == [], f"API URL patterns outside the matrix: {unlisted}"


@pytest.fixture
def api_ctx(demo, personas):
    ctx = {**demo, "personas": personas, "unique": lambda: f"{next(_counter):064d}"}
    for module in matrix_modules():
        setup = getattr(module, "setup", None)
        if setup:
            setup(ctx)
    return ctx


@pytest.mark.parametrize("case", _cases(), ids=lambda c: f"{c.method} {c.route}")
def test_api_access(case, api_ctx, client_for):
    wrong = []
    for role in ROLES:
        url, body = case.build(api_ctx)
        client = client_for(role)
        kwargs = {"content_type": "application/json", "data": json.dumps(body)} if body is not None else {}
        response = client.generic(case.method, url, **kwargs)
        want = case.expect[role]
        if response.status_code != want:
            wrong.append(f"{role}: expected {want}, got {response.status_code} {response.content[:200]!r}")
        elif response.status_code >= 400 and "json" in response.get("Content-Type", ""):
            payload = response.json()
            assert "detail" in payload or "errors" in payload
    assert not wrong, f"{case.method} {case.route}:\n  " + "\n  ".join(wrong)
