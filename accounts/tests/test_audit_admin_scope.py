"""The audit log in the admin follows roster.admin's rule for staff who are not superusers: only
rows about their own units (a child placed there, or a unit, group or object of theirs)."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.services import audit_record
from roster.models import ClosedPeriod
from school.models import Lesson

pytestmark = pytest.mark.django_db


def _admin_client(user) -> Client:
    """A unit administrator: is_staff with view on the audit log, not superuser."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(codename="view_auditevent"))
    client = Client()
    client.force_login(user)
    return client


def _rows(personas, demo) -> dict[str, AuditEvent]:
    admin = personas["admin"]
    closed = ClosedPeriod.objects.create(
        unit=demo["norrskolan"],
        kind=ClosedPeriod.Kind.STUDIEDAG,
        start_date=date(2027, 3, 1),
        end_date=date(2027, 3, 1),
    )
    everywhere = ClosedPeriod.objects.create(
        kind=ClosedPeriod.Kind.STANGT, start_date=date(2027, 3, 2), end_date=date(2027, 3, 2)
    )
    lesson = Lesson.objects.filter(group=demo["3b"]).first()

    def row(obj, child=None):
        return audit_record(actor=admin, action="read", obj=obj, child_id=child.pk if child else None)

    return {
        "alva": row(demo["alva"], demo["alva"]),  # Solrosen
        "bella": row(demo["bella"], demo["bella"]),  # 3B, Norrskolan
        "solrosen": row(demo["solrosen"]),
        "group_3b": row(demo["3b"]),
        "closed_norrskolan": row(closed),
        "lesson_3b": row(lesson),
        # Not tied to a unit: a person's account, a municipality-wide closed day.
        "account": row(personas["guardian"]),
        "closed_everywhere": row(everywhere),
    }


def _seen(client, rows) -> set[str]:
    response = client.get(reverse("admin:accounts_auditevent_changelist"))
    assert response.status_code == 200
    listed = {e.pk for e in response.context["cl"].result_list}
    return {key for key, event in rows.items() if event.pk in listed}


def _change(event) -> str:
    return reverse("admin:accounts_auditevent_change", args=[event.pk])


def test_unit_administrator_reads_only_rows_about_own_units(personas, demo):
    rows = _rows(personas, demo)
    principal = _admin_client(personas["principal"])  # Norrskolan and its fritidshem
    pedagog = _admin_client(personas["other_staff"])  # Solrosen

    assert _seen(principal, rows) == {"bella", "group_3b", "closed_norrskolan", "lesson_3b"}
    assert _seen(pedagog, rows) == {"alva", "solrosen"}
    # Another unit's row "does not exist" (the admin redirects with a message), as for children.
    assert principal.get(_change(rows["bella"])).status_code == 200
    assert principal.get(_change(rows["alva"])).status_code == 302
    assert principal.get(_change(rows["account"])).status_code == 302
    assert pedagog.get(_change(rows["alva"])).status_code == 200
    assert pedagog.get(_change(rows["bella"])).status_code == 302
    assert pedagog.get(_change(rows["closed_everywhere"])).status_code == 302


def test_superuser_reads_the_whole_log(personas, demo):
    rows = _rows(personas, demo)
    admin = Client()
    admin.force_login(personas["admin"])
    # The list is paged; ask for the rows just written.
    response = admin.get(
        reverse("admin:accounts_auditevent_changelist") + f"?id__gte={min(e.pk for e in rows.values())}"
    )
    assert {e.pk for e in response.context["cl"].result_list} >= {e.pk for e in rows.values()}
    for event in rows.values():
        assert admin.get(_change(event)).status_code == 200
