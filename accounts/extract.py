"""The register extract (registerutdrag, GDPR art. 15): everything Skolhubb holds about a
person and the children in their custody, read through the personal-data registry.

Costs one query for the children plus one per registered model, whatever the amount of
data: the number of queries grows with the number of apps, not with the person's rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from accounts.personal_data import registrations
from roster.models import Child, Guardianship, active_q


@dataclass
class ExtractSection:
    model: str
    description: str
    rows: list[dict]


def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def register_extract_children(*, user) -> list[Child]:
    """The children the extract covers: those in the person's active custody, and the
    person themself as a student."""
    in_custody = Guardianship.objects.filter(active_q(), guardian=user).values("child_id")
    return list(Child.objects.filter(pk__in=in_custody) | Child.objects.filter(user=user))


def register_extract_build(*, user) -> dict:
    children = register_extract_children(user=user)
    child_ids = [c.pk for c in children]
    sections = []
    for registration in registrations():
        model = registration.model_class
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.name not in registration.exclude_fields and f.attname not in registration.exclude_fields
        ]
        rows = list(
            model._default_manager.filter(registration.rows_q(user=user, child_ids=child_ids))
            .distinct()
            .order_by("pk")
            .values(*fields)
        )
        if rows:
            sections.append(
                ExtractSection(
                    model=registration.model,
                    description=str(registration.description),
                    rows=[{k: _plain(v) for k, v in r.items()} for r in rows],
                )
            )
    return {
        "generated_at": timezone.localtime().isoformat(),
        "person": {"id": user.pk, "email": user.email, "name": user.get_full_name()},
        "children": [{"id": c.pk, "name": f"{c.given_name} {c.family_name}"} for c in children],
        "sections": [{"model": s.model, "description": s.description, "rows": s.rows} for s in sections],
    }
