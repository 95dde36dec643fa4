"""A cold Hub's box loaders run side by side (config.statements.together) and their
statements reach PostgreSQL together: a dozen boxes cost one or two round trips, not a
dozen. Waiting for each statement in turn was a third of a cold Hub's time."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from config.statements import _Queue
from conftest import PERSONAS
from tests.budgets import cold

pytestmark = [pytest.mark.services]


def _round_trips(client) -> tuple[int, int, str]:
    """(queries, round trips, the page) of one cold Hub: a query alone is a round trip, and
    so is a pipeline however many it carries (config.statements._pipeline: its statements are
    executed on one queue, then sent together)."""
    seen: list = []

    def noting(execute, sql, params, many, context):
        cursor = context["cursor"].cursor
        seen.append(cursor if isinstance(cursor, _Queue) else None)
        return execute(sql, params, many, context)

    cold()
    with connection.execute_wrapper(noting):
        response = client.get(reverse("hub:dashboard"))
    assert response.status_code == 200
    pipelines = {id(p) for p in seen if p is not None}
    return len(seen), seen.count(None) + len(pipelines), response.content.decode()


def _without_tokens(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value="|csrf-token" content=")[^"]+', r"\1", html)


@pytest.mark.parametrize("role", ["guardian", "teacher", "principal"])
def test_a_cold_hubs_boxes_reach_postgresql_in_a_few_round_trips(pg_demo, role, monkeypatch):
    """The family's and the staff's cold Hub: every box statement rides in one pipeline, so
    the boxes wait for the database once: the closed days are asked with the boxes' own
    statements, the Frånvaro box reads the absent children joined with their reports, and the
    care box asks its schedules by the units, beside the placements, not by the ids the
    placements return (config.sql.InRows). And the page is the one built with every statement
    run on its own."""
    client = Client()
    client.force_login(User.objects.get(email=PERSONAS[role]), backend="accounts.backends.AuthenticationBackend")
    _round_trips(client)  # prepares every statement on this connection (the first run goes alone)
    queries, trips, page = _round_trips(client)
    # Before the boxes: the user's row with the viewer's two statements (neither cached:
    # accounts.backends.cached_user), which bring the units' box settings with the units: one
    # round trip for three queries.
    assert queries > 3 + 5, queries
    assert trips == 1 + 1, (queries, trips)

    from config import statements

    one_at_a_time = statements._run_pending
    monkeypatch.setattr(statements, "_run_pending", lambda asked: [one_at_a_time([p]) for p in dict.fromkeys(asked)])
    one_by_one_queries, one_by_one_trips, one_by_one = _round_trips(client)
    assert one_by_one_queries == queries and one_by_one_trips == queries
    assert _without_tokens(one_by_one) == _without_tokens(page)
