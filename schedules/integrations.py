"""Seams to other domain apps that may or may not be installed."""

from datetime import date

from django.apps import apps
from django.db.models import BooleanField, Exists, OuterRef, Value


def reported_absent_on(day: date):
    """For a Placement queryset's annotate(): whether an absence report covers `day` for the
    placement's child – the absence app's own definition (absence.selectors.reports_covering),
    so the care counts on the Hub agree with its Frånvaro box. A subquery, no query of its own.
    False without the absence app (then the day entries' own absent mark is all there is)."""
    if not apps.is_installed("absence"):
        return Value(False, output_field=BooleanField())
    from absence.selectors import reports_covering

    return Exists(reports_covering(day).filter(child_id=OuterRef("child_id")))
