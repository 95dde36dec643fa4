"""Access to schedules, built on roster's policy: 404 when the viewer has no relation to the
child or unit, PermissionDenied when they may read but not write."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from roster.access import get_child_for_viewer
from roster.models import Child, Placement, StaffDuty, Unit
from roster.policy import viewer_for
from schedules import cache as page_cache
from schedules.models import CARE_KINDS


@dataclass
class ChildAccess:
    child: Child
    placements: list[Placement]  # care placements not ended, with unit (and hours) and group
    mode: str  # "guardian", "staff" or "read"

    @property
    def can_write(self) -> bool:
        return self.mode in {"guardian", "staff"}

    @property
    def as_staff(self) -> bool:
        return self.mode == "staff"


def _care_placements(child_id: int) -> list[Placement]:
    """The child's care placements not ended, with unit (and hours) and group. One query."""
    today = timezone.localdate()
    return list(
        Placement.objects.filter(child_id=child_id, unit__kind__in=CARE_KINDS)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("unit__care_hours", "group")
        .order_by("start_date")
    )


def get_care_child_for_viewer(request, child_id) -> ChildAccess:
    """A visible child with a care placement (now or ahead), and what the viewer may do.
    The viewer's own children (and a student themself) come from roster's cached viewer and
    their care placements from the cache (schedules/cache.py): no query while nothing
    changed. Anyone else: 2 queries (the child with roster's access check and placements)
    + 1 (care placements)."""
    viewer = viewer_for(request)
    child = next((c for c in viewer.children if c.pk == child_id), None)
    if child is not None:
        placements = page_cache.care_placements(child_id=child.pk, load=_care_placements)
    else:
        child = get_child_for_viewer(request, child_id)
        placements = _care_placements(child.pk)
    if not placements:
        raise Http404("Ingen omsorgsplacering")
    user = request.user
    if viewer.is_own_child(child):
        mode = "guardian"
    elif user.is_superuser or {p.unit_id for p in placements} & viewer.staff_unit_ids:
        mode = "staff"
    else:
        mode = "read"  # the student themself, or staff of the child's school but not of the care unit
    return ChildAccess(child=child, placements=placements, mode=mode)


def get_care_child_for_edit(request, child_id) -> ChildAccess:
    access = get_care_child_for_viewer(request, child_id)
    if not access.can_write:
        raise PermissionDenied
    return access


def get_care_unit_for_staff(request, unit_id) -> Unit:
    """A care unit where the viewer works (any staff duty), or 404."""
    viewer = viewer_for(request)
    unit = next((u for u in viewer.staff_units if u.pk == unit_id), None)
    if unit is None and request.user.is_superuser:
        unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or unit.kind not in CARE_KINDS:
        raise Http404("Ingen enhet")
    return unit


def may_manage_closed_days(request, unit: Unit) -> bool:
    """The principal (or an administrator) of the unit marks its closed days."""
    viewer = viewer_for(request)
    return viewer.is_principal_of(unit.pk) or any(
        d.unit_id == unit.pk and d.role == StaffDuty.Role.ADMINISTRATOR for d in viewer.duties
    )


def get_care_unit_for_closed_days(request, unit_id) -> Unit:
    unit = get_care_unit_for_staff(request, unit_id)
    if not may_manage_closed_days(request, unit):
        raise PermissionDenied
    return unit
