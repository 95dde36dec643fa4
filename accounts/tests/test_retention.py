"""Retention (gallring): records of children who left long enough ago are removed, with a
dry run first and an audit record; children still placed keep everything."""

from datetime import date

import pytest
from django.core.management import call_command

from absence.models import AbsenceReport
from accounts.models import AuditEvent, RetentionRule
from accounts.retention import months_before, retention_run
from roster.models import Placement


def test_months_before_handles_month_ends():
    assert months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 24) == date(2024, 1, 15)


@pytest.fixture
def left_child(demo):
    """Bella left 3B on 2023-06-15; Elias is still placed."""
    bella = demo["bella"]
    Placement.objects.filter(child=bella).update(start_date=date(2020, 8, 1), end_date=date(2023, 6, 15))
    old = AbsenceReport.objects.create(
        child=bella, start_date=date(2023, 5, 2), end_date=date(2023, 5, 2), reason="sjuk"
    )
    elias_old = AbsenceReport.objects.create(
        child=demo["elias"], start_date=date(2023, 5, 2), end_date=date(2023, 5, 2), reason="sjuk"
    )
    return bella, old, elias_old


@pytest.mark.django_db
def test_dry_run_reports_and_changes_nothing(left_child):
    bella, old, _elias_old = left_child
    lines = retention_run(dry_run=True, today=date(2026, 11, 23))
    reports = next(line for line in lines if line.model == "absence.AbsenceReport")
    assert reports.count == 1 and reports.months == 24 and reports.cutoff == date(2024, 11, 23)
    assert AbsenceReport.objects.filter(pk=old.pk).exists()
    assert not AuditEvent.objects.filter(object_id="retention").exists()


@pytest.mark.django_db
def test_run_removes_only_what_is_due_and_audits(left_child):
    bella, old, elias_old = left_child
    recent_rule = RetentionRule.objects.get(kind="absence_reports")
    retention_run(dry_run=False, today=date(2026, 11, 23))
    assert not AbsenceReport.objects.filter(pk=old.pk).exists()
    assert AbsenceReport.objects.filter(pk=elias_old.pk).exists()  # still placed: kept
    audit = AuditEvent.objects.get(object_type="absence.absencereport", object_id="retention")
    assert audit.details["count"] == 1 and audit.details["kind"] == "absence_reports"
    assert recent_rule.keep_months == 24


@pytest.mark.django_db
def test_not_due_before_the_time_is_up_and_keep_means_keep(left_child):
    bella, old, _ = left_child
    # Bella left 2023-06-15: with 24 months, nothing of hers is due before 2025-06-16.
    retention_run(dry_run=False, today=date(2025, 6, 14))
    assert AbsenceReport.objects.filter(pk=old.pk).exists()
    RetentionRule.objects.filter(kind="absence_reports").update(keep_months=None)
    retention_run(dry_run=False, today=date(2030, 1, 1))
    assert AbsenceReport.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_command_dry_run(left_child, capsys):
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "absence.AbsenceReport" in out and "skulle gallras" in out
    assert AbsenceReport.objects.filter(pk=left_child[1].pk).exists()


def test_retention_is_scheduled():
    from config.celery import app_periodic_tasks

    assert app_periodic_tasks()["accounts-retention"]["task"] == "accounts.tasks.retention_apply"


@pytest.mark.django_db
def test_rule_kinds_in_the_admin_come_from_the_registrations(client_for):
    """The kinds to choose from are those the apps register (no list in accounts), plus any
    stored rule whose kind no installed app registers any more, so it can still be edited."""
    from django.urls import reverse

    from accounts.personal_data import retention_kinds

    RetentionRule.objects.create(kind="removed_app_records", keep_months=6)
    page = client_for("admin").get(reverse("admin:accounts_retentionrule_add"))
    choices = [value for value, _label in page.context["adminform"].form.fields["kind"].choices]
    registered = [kind for kind, _label in retention_kinds()]
    assert {"messages", "documentation", "absence_reports"} <= set(registered)
    assert choices == [*registered, "removed_app_records"]
