"""Retention (gallring): remove personal data whose time is up, per the administrator's rules.

For every registered model with a `retention_kind` (accounts/personal_data.py) and a rule
with a number of months, the rows about a child whose last placement ended more than that
many months ago, and which are themselves older than that, are deleted (or anonymised
when the registration says so). A dry run reports the same counts and changes nothing;
each real removal leaves one audit record per model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import AuditEvent, RetentionRule
from accounts.personal_data import registrations
from roster.models import Child, Placement


@dataclass
class RetentionLine:
    model: str
    kind: str
    months: int
    cutoff: date
    count: int
    action: str  # "delete" or "anonymise"


def months_before(day: date, months: int) -> date:
    """The same day of the month `months` earlier (the month's last day when it has fewer)."""
    import calendar

    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def children_gone_since(cutoff: date):
    """Children placed somewhere once, with no placement running on or after `cutoff`."""
    still_here = Placement.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=cutoff)).values("child_id")
    return Child.objects.filter(placements__isnull=False).exclude(pk__in=still_here).values("pk")


def retention_plan(*, today: date | None = None) -> list[tuple[RetentionLine, object]]:
    today = today or timezone.localdate()
    rules = {r.kind: r.keep_months for r in RetentionRule.objects.filter(keep_months__isnull=False)}
    plan = []
    for registration in registrations():
        months = rules.get(registration.retention_kind or "")
        if months is None or not registration.child_paths:
            continue
        cutoff = months_before(today, months)
        gone = children_gone_since(cutoff)
        about_gone = Q(pk__in=[])
        for path in registration.child_paths:
            about_gone |= Q(**{f"{path}__in": gone})
        model = registration.model_class
        field = model._meta.get_field(registration.retention_date_field)
        old_enough = {
            f"{registration.retention_date_field}__{'date__' if field.get_internal_type() == 'DateTimeField' else ''}lte": cutoff
        }
        rows = model._default_manager.filter(about_gone, **old_enough)
        line = RetentionLine(
            model=registration.model,
            kind=registration.retention_kind,
            months=months,
            cutoff=cutoff,
            count=rows.count(),
            action="anonymise" if registration.anonymise_fields else "delete",
        )
        plan.append((line, (registration, rows)))
    return plan


def retention_run(*, dry_run: bool, today: date | None = None, actor=None) -> list[RetentionLine]:
    """Apply (or, with dry_run, only report) the retention rules. One transaction."""
    lines = []
    with transaction.atomic():
        for line, (registration, rows) in retention_plan(today=today):
            lines.append(line)
            if dry_run or not line.count:
                continue
            if registration.anonymise_fields:
                model = registration.model_class
                blanks = {}
                for name in registration.anonymise_fields:
                    f = model._meta.get_field(name)
                    blanks[f.attname] = None if f.null else ""
                rows.update(**blanks)
            else:
                rows.delete()
            AuditEvent.objects.create(
                actor=actor,
                actor_label=getattr(actor, "email", "") or "gallring",
                action=AuditEvent.Action.DELETE,
                object_type=line.model.lower(),
                object_id="retention",
                object_label=f"Gallring: {line.count} st ({line.kind}, {line.months} mån)",
                details={
                    "kind": line.kind,
                    "count": line.count,
                    "cutoff": line.cutoff.isoformat(),
                    "action": line.action,
                },
            )
    return lines
