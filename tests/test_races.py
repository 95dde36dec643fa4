"""Races on real PostgreSQL: parallel requests on their own connections (threads,
transactional_db), as a double-click or two staff members at once would send them.

SQLite serialises whole transactions and says nothing about row locks, so these run only on
PostgreSQL (skip without it; fail with SKOLHUBB_REQUIRE_SERVICES=1).
"""

import threading
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from absence.calendar import next_school_day
from absence.models import AbsenceReport, LeaveApplication
from accounts.models import User
from conftest import PERSONAS

pytestmark = [pytest.mark.services]

PARALLEL = 8


def _client(email: str) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email=email), backend="accounts.backends.AuthenticationBackend")
    return client


def _in_parallel(calls):
    """Run the callables at the same moment, each on its own thread and database connection.
    Returns their results (or the exception each raised) in order."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def _pending_leave(child, applied_by, *, days=1):
    start = next_school_day(timezone.localdate() + timedelta(days=7))
    end = start
    for _ in range(days - 1):
        end = next_school_day(end)
    return LeaveApplication.objects.create(
        child=child,
        applied_by=applied_by,
        start_date=start,
        end_date=end,
        reason="Resa",
        school_days=days,
        state=LeaveApplication.State.PENDING,
    )


def test_eight_parallel_decisions_make_exactly_one(pg_demo):
    from roster.models import Child

    elias = Child.objects.get(given_name="Elias", family_name="Andersson")
    anna = User.objects.get(email=PERSONAS["guardian"])
    application = _pending_leave(elias, anna, days=3)
    url = reverse("absence:leave-decide", args=[application.pk])
    # The principal and the mentor's colleagues: the same principal in eight tabs, half
    # approving and half rejecting, all pressing the button at once.
    clients = [_client(PERSONAS["principal"]) for _ in range(PARALLEL)]
    posts = [
        {"approve": "1"} if i % 2 == 0 else {"approve": "0", "comment": "Inte under provveckan"}
        for i in range(PARALLEL)
    ]
    responses = _in_parallel([lambda c=c, p=p: c.post(url, p) for c, p in zip(clients, posts, strict=True)])

    assert not [r for r in responses if isinstance(r, Exception)], responses
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * (PARALLEL - 1) + [302], codes
    for r in responses:
        if r.status_code == 200:
            assert "Ansökan är redan beslutad." in r.content.decode()
    application.refresh_from_db()
    assert application.state in (LeaveApplication.State.APPROVED, LeaveApplication.State.REJECTED)
    reports = AbsenceReport.objects.filter(leave=application).count()
    # No contradictory state: an approval made exactly one 'ledig' report, a rejection none.
    assert reports == (1 if application.state == LeaveApplication.State.APPROVED else 0)
    from accounts.models import AuditEvent

    decisions = AuditEvent.objects.filter(object_id=str(application.pk), details__has_key="state")
    assert decisions.count() == 1


def test_double_clicked_consent_is_harmless(pg_demo):
    from roster.models import Child, Guardianship

    elias = Child.objects.get(given_name="Elias", family_name="Andersson")
    anna = User.objects.get(email=PERSONAS["guardian"])
    erik = User.objects.create_user("erik.race@example.se", "x", first_name="Erik")
    Guardianship.objects.create(guardian=erik, child=elias, start_date=elias.date_of_birth)
    application = _pending_leave(elias, anna)
    LeaveApplication.objects.filter(pk=application.pk).update(state=LeaveApplication.State.AWAITING_CONSENT)
    url = reverse("absence:leave-consent", args=[application.pk])
    clients = [_client(erik.email) for _ in range(4)]
    responses = _in_parallel(
        [lambda c=c, i=i: c.post(url, {"agree": "1" if i else "0"}) for i, c in enumerate(clients)]
    )

    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 302]
    application.refresh_from_db()
    assert application.state in (LeaveApplication.State.PENDING, LeaveApplication.State.WITHDRAWN)
    assert application.consent_by == erik


def test_parallel_sick_reports_for_one_child_make_one_report(pg_demo):
    """Two guardians (or one double-click) reporting the same child sick today at once: no 500,
    one report, the care schedule marked absent once."""
    from roster.models import Child
    from schedules.models import DayEntry

    alva = Child.objects.get(given_name="Alva", family_name="Andersson")
    today = timezone.localdate()
    AbsenceReport.objects.filter(child=alva).delete()
    url = reverse("absence:quick-sick", args=[alva.pk])
    clients = [_client(PERSONAS["guardian"]) for _ in range(PARALLEL)]
    responses = _in_parallel([lambda c=c: c.post(url) for c in clients])

    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert [r.status_code for r in responses] == [302] * PARALLEL
    reports = list(AbsenceReport.objects.filter(child=alva))
    assert len(reports) == 1
    assert (reports[0].start_date, reports[0].end_date) == (today, today)
    assert DayEntry.objects.filter(child=alva, date=today, absent=True).count() == 1


def test_parallel_reports_for_overlapping_days_merge(pg_demo):
    """Different ranges for the same child at the same time all end up in one merged report."""
    from absence import services
    from roster.models import Child

    alva = Child.objects.get(given_name="Alva", family_name="Andersson")
    anna = User.objects.get(email=PERSONAS["guardian"])
    AbsenceReport.objects.filter(child=alva).delete()
    today = timezone.localdate()
    days = [today + timedelta(days=i) for i in range(4)]  # Monday–Thursday

    def report(day):
        return services.absence_report_create(
            children=[alva], reported_by=anna, start_date=day, end_date=day + timedelta(days=1), reason="sjuk"
        )

    results = _in_parallel([lambda d=d: report(d) for d in days])
    assert not [r for r in results if isinstance(r, Exception)], results
    reports = list(AbsenceReport.objects.filter(child=alva))
    assert [(r.start_date, r.end_date) for r in reports] == [(today, today + timedelta(days=4))]


def test_double_clicked_closed_day_is_harmless(pg_demo, monkeypatch):
    import time

    from roster.models import ClosedPeriod, Unit
    from schedules import services

    real_title = services.closed_day_title

    def slow_title(**kwargs):
        time.sleep(0.3)  # widen the window between "is the day free?" and the INSERT
        return real_title(**kwargs)

    monkeypatch.setattr(services, "closed_day_title", slow_title)

    fritids = Unit.objects.get(code="DEMO-NORRSKOLAN-FRITIDS")
    day = next_school_day(timezone.localdate() + timedelta(days=20))
    url = reverse("schedules:closed-days", args=[fritids.pk])
    clients = [_client(PERSONAS["principal"]) for _ in range(4)]
    responses = _in_parallel(
        [lambda c=c: c.post(url, {"date": day.isoformat(), "reason": "studiedag"}) for c in clients]
    )

    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 302]
    assert ClosedPeriod.objects.filter(unit=fritids, start_date=day).count() == 1
