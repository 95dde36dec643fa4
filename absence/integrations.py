"""Seams to other domain apps that may or may not be installed."""

from datetime import date

from django.apps import apps


def care_schedule_sync(*, child, start_date: date, end_date: date, absent: bool, note: str = "") -> int:
    """Mark the child's care-schedule days in [start_date, end_date] absent (or present again
    after a friskanmälan). Does nothing without the schedules app; returns the days changed."""
    if not apps.is_installed("schedules"):
        return 0
    from schedules.services import care_absence_set

    return care_absence_set(child=child, start_date=start_date, end_date=end_date, absent=absent, note=note)
