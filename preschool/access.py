"""Who may use the preschool e-services, on roster's policy: 404 for an object the viewer
has no relation to, 403 for a page their role does not have."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from preschool.fees import CARE_KINDS
from preschool.models import PlacementNotice
from roster.models import Placement, StaffDuty, Unit
from roster.policy import viewer_for


def own_care_children(request) -> list:
    """The viewer's own children (not themself) with a care placement today; 403 for others."""
    viewer = viewer_for(request)
    children = [
        c
        for c in viewer.children
        if c.user_id != request.user.pk and any(p.unit.kind in CARE_KINDS for p in c.active_placements)
    ]
    if not children:
        raise PermissionDenied
    return children


def principal_unit_ids(request) -> set[int]:
    """Care units the viewer leads (every care unit for a superuser); 403 for anyone else."""
    viewer = viewer_for(request)
    if viewer.is_superuser:
        return set(Unit.objects.filter(kind__in=CARE_KINDS).values_list("pk", flat=True))
    ids = {d.unit_id for d in viewer.duties if d.role == StaffDuty.Role.REKTOR and d.unit.kind in CARE_KINDS}
    if not ids:
        raise PermissionDenied
    return ids


def get_care_placement_for_guardian(request, placement_id) -> Placement:
    viewer = viewer_for(request)
    for child in viewer.children:
        if child.user_id == request.user.pk:
            continue
        for placement in child.active_placements:
            if str(placement.pk) == str(placement_id) and placement.unit.kind in CARE_KINDS:
                return placement
    raise Http404("Ingen plats")


def get_notice_for_guardian(request, notice_id) -> PlacementNotice:
    viewer = viewer_for(request)
    own = [c.pk for c in viewer.children if c.user_id != request.user.pk]
    notice = (
        PlacementNotice.objects.filter(pk=notice_id, placement__child_id__in=own).select_related("placement").first()
    )
    if notice is None:
        raise Http404("Ingen uppsägning")
    return notice


def get_notice_for_principal(request, notice_id) -> PlacementNotice:
    viewer = viewer_for(request)
    notice = PlacementNotice.objects.filter(pk=notice_id).select_related("placement__unit", "placement__child").first()
    if notice is None:
        raise Http404("Ingen uppsägning")
    if viewer.is_superuser:
        return notice
    leads = {d.unit_id for d in viewer.duties if d.role == StaffDuty.Role.REKTOR}
    if notice.placement.unit_id in leads:
        return notice
    if notice.placement.unit_id in viewer.staff_unit_ids:
        raise PermissionDenied  # staff of the unit may know of it, only the principal decides
    raise Http404("Ingen uppsägning")
