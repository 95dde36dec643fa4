"""The teaching list pages run a constant number of queries whatever the number of rows:
pinned for a guardian and the teacher, before and after adding many rows."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from roster.dates import monday_of
from school.models import Assignment, ETest, Planning, Subject, WeeklyItem, WeeklyPlan
from tests.budgets import VIEWER
from tests.test_query_budgets import _cold  # the viewer cache voided: cold budgets

pytestmark = pytest.mark.django_db

SESSION = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
# Every page: session, user, the viewer (own children with their placements, duties).
BASE = SESSION + 1 + VIEWER
PAGES = {
    # guardian: the plannings of the children's groups (1)
    ("guardian", "school:plannings"): BASE + 1,
    # guardian: this and next week's plans (1) with their items (1)
    ("guardian", "school:weekly"): BASE + 2,
    # guardian: the assignments (1) with their chosen pupils (1)
    ("guardian", "school:assignments"): BASE + 2,
    # teacher: group ids (1), plannings (1), writable groups (1)
    ("teacher", "school:plannings"): BASE + 3,
    # teacher: writable groups (1), plans (1), items (1)
    ("teacher", "school:weekly"): BASE + 3,
    # teacher: writable groups (1), group ids (1), assignments (1), chosen pupils (1)
    ("teacher", "school:assignments"): BASE + 4,
    # teacher: group ids (1), tests (1), writable groups (1)
    ("teacher", "school:etests"): BASE + 3,
    # student: the tests with whether they are finished (1), the eTest box's loader
    ("student", "school:etests"): BASE + 1,
}


def _more_rows(demo, personas, count):
    group = demo["3b"]
    subject = Subject.objects.first()
    monday = monday_of(timezone.localdate())
    now = timezone.now()
    Planning.objects.bulk_create(
        Planning(group=group, subject=subject, title=f"P{i}", start_monday=monday, end_monday=monday, state="published")
        for i in range(count)
    )
    assignments = Assignment.objects.bulk_create(
        Assignment(
            group=group, title=f"A{i}", instructions="x", deadline=now + timedelta(days=i + 1), state="published"
        )
        for i in range(count)
    )
    for a in assignments[:3]:
        a.students.set([demo["elias"], demo["bella"]])
    ETest.objects.bulk_create(
        ETest(group=group, title=f"T{i}", opens_at=now, closes_at=now + timedelta(days=1), state="published")
        for i in range(count)
    )
    plan = WeeklyPlan.objects.get(group=group, monday=monday)
    WeeklyItem.objects.bulk_create(
        WeeklyItem(plan=plan, day=monday, kind="homework", text=f"L{i}") for i in range(count)
    )


@pytest.mark.parametrize(("role", "name"), sorted(PAGES))
def test_list_pages_do_not_grow_with_rows(role, name, client_for, demo, personas, django_assert_num_queries):
    client = client_for(role)
    _cold()
    with django_assert_num_queries(PAGES[(role, name)]):
        assert client.get(reverse(name)).status_code == 200
    _more_rows(demo, personas, 40)
    _cold()
    with django_assert_num_queries(PAGES[(role, name)]):
        response = client.get(reverse(name))
    assert response.status_code == 200
