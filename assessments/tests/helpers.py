"""Test data builders for assessments (volume for the query budgets)."""

from datetime import date

from django.utils import timezone

from roster.models import Child, Group, GroupStaff, Guardianship, Placement
from roster.personnummer import with_check_digit

_serial = [500]


def child(given: str, born: date = date(2017, 3, 3)) -> Child:
    _serial[0] += 1
    nine = f"{born:%y%m%d}{_serial[0]:03d}"
    return Child.objects.create(
        given_name=given,
        family_name="Testsson",
        personnummer=f"{born:%Y%m%d}{_serial[0]:03d}{with_check_digit(nine)}",
        date_of_birth=born,
    )


def group_with_pupils(*, unit, grade: str, size: int, teacher=None, name: str | None = None, guardian=None):
    """A class of `size` new pupils (optionally with one guardian for all), taught by
    `teacher` as mentor."""
    start = timezone.localdate().replace(month=8, day=1)
    if start > timezone.localdate():
        start = start.replace(year=start.year - 1)
    group = Group.objects.create(unit=unit, name=name or f"{grade}T{size}", kind=Group.Kind.KLASS, grade=grade)
    pupils = [child(f"Elev{i:02d}") for i in range(size)]
    Placement.objects.bulk_create([Placement(child=p, unit=unit, group=group, start_date=start) for p in pupils])
    if guardian is not None:
        Guardianship.objects.bulk_create([Guardianship(guardian=guardian, child=p, start_date=start) for p in pupils])
    if teacher is not None:
        GroupStaff.objects.create(user=teacher, group=group, role=GroupStaff.Role.MENTOR, start_date=start)
    return group, pupils
