"""Who may see and change a child's assessments, grades, IUP, åtgärdsprogram and notes.

Built on roster.policy: the family side is the child's guardians (active guardianship)
and the student themself, who also need an e-ID session (assurance HIGH); the staff side
is the child's own mentors and teachers and the principal of a unit where the child is
placed (roster.policy.may_see_sensitive). Everyone else gets 404: the child's existence
must not leak. A family member on a password session is sent to the e-ID login.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.utils import timezone

from accounts.assurance import HIGH, has_assurance
from roster.models import Child, Group, GroupStaff, Placement, StaffDuty, Unit, active_q
from roster.policy import viewer_for

FAMILY = "family"
STUDENT = "student"
GUARDIAN = "guardian"
TEACHER = "teacher"
MENTOR = "mentor"
PRINCIPAL = "principal"
ADMIN = "admin"
STAFF_ROLES = {TEACHER, MENTOR, PRINCIPAL, ADMIN}


class StepUpRequired(Exception):
    """The viewer may see this once they log in with e-ID (raised for family members on a
    password session); views answer with a redirect to the e-ID login."""


@dataclass
class ChildAccess:
    child: Child
    role: str  # guardian, student, teacher, mentor, principal, admin

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_family(self) -> bool:
        return self.role in {GUARDIAN, STUDENT}

    @property
    def is_principal(self) -> bool:
        return self.role in {PRINCIPAL, ADMIN}

    @property
    def may_write_iup(self) -> bool:
        return self.role in {MENTOR, PRINCIPAL, ADMIN}

    @property
    def grade_years(self) -> list[int]:
        return sorted(
            {int(p.group.grade) for p in self.child.active_placements if p.group_id and p.group.grade.isdigit()}
        )


def _placements_prefetch():
    placements = Placement.objects.filter(active_q(on=timezone.localdate())).select_related("unit", "group")
    return Prefetch("placements", queryset=placements, to_attr="active_placements")


def _staff_child(user, child_id) -> tuple[Child, str] | None:
    """Two queries: the child with the viewer's staff roles, then its active placements."""
    today = timezone.localdate()
    # nested twice: Child → Exists(GroupStaff/StaffDuty) → placements of that child
    child_placements = Placement.objects.filter(active_q(on=today), child_id=OuterRef(OuterRef("pk")))
    qs = Child.objects.filter(pk=child_id).annotate(
        is_mentor=Exists(
            GroupStaff.objects.filter(
                active_q(on=today),
                user=user,
                role=GroupStaff.Role.MENTOR,
                group_id__in=child_placements.values("group_id"),
            )
        ),
        is_teacher=Exists(
            GroupStaff.objects.filter(
                active_q(on=today),
                user=user,
                role__in=[GroupStaff.Role.MENTOR, GroupStaff.Role.TEACHER],
                group_id__in=child_placements.values("group_id"),
            )
        ),
        is_principal=Exists(
            StaffDuty.objects.filter(
                active_q(on=today),
                user=user,
                role=StaffDuty.Role.REKTOR,
                unit_id__in=child_placements.values("unit_id"),
            )
        ),
    )
    child = qs.prefetch_related(_placements_prefetch()).first()
    if child is None:
        return None
    if user.is_superuser:
        return child, ADMIN
    if child.is_principal:
        return child, PRINCIPAL
    if child.is_mentor:
        return child, MENTOR
    if child.is_teacher:
        return child, TEACHER
    return None


def child_access(request, child_id) -> ChildAccess:
    """The child and the viewer's role towards it. The family side costs no query beyond
    the request's viewer; the staff side two."""
    user = request.user
    if not user.is_authenticated:
        raise Http404("Inget barn")
    viewer = viewer_for(request)
    own = next((c for c in viewer.children if str(c.pk) == str(child_id)), None)
    if own is not None:
        if not has_assurance(request, HIGH):
            raise StepUpRequired
        return ChildAccess(child=own, role=STUDENT if own.user_id == user.pk else GUARDIAN)
    if not (viewer.is_staff_member or user.is_superuser):
        raise Http404("Inget barn")
    found = _staff_child(user, child_id)
    if found is None:
        raise Http404("Inget barn")
    return ChildAccess(child=found[0], role=found[1])


def require_staff(access: ChildAccess) -> None:
    """A family member may read but not write staff documents."""
    if not access.is_staff:
        raise PermissionDenied


# --- Groups and units (staff pages) -----------------------------------------------------


@dataclass
class GroupAccess:
    group: Group
    role: str  # teacher, mentor, principal, admin

    @property
    def is_principal(self) -> bool:
        return self.role in {PRINCIPAL, ADMIN}


def group_access(request, group_id) -> GroupAccess:
    """One query. The group's mentors and teachers and the unit's principal; 404 for
    everyone else (other staff at the unit included: assessments are not theirs)."""
    user = request.user
    today = timezone.localdate()
    group = (
        Group.objects.select_related("unit")
        .annotate(
            is_mentor=Exists(
                GroupStaff.objects.filter(
                    active_q(on=today), user=user, group_id=OuterRef("pk"), role=GroupStaff.Role.MENTOR
                )
            ),
            is_teacher=Exists(
                GroupStaff.objects.filter(
                    active_q(on=today), user=user, group_id=OuterRef("pk"), role=GroupStaff.Role.TEACHER
                )
            ),
            is_principal=Exists(
                StaffDuty.objects.filter(
                    active_q(on=today), user=user, unit_id=OuterRef("unit_id"), role=StaffDuty.Role.REKTOR
                )
            ),
        )
        .filter(pk=group_id, unit__kind=Unit.Kind.GRUNDSKOLA)
        .first()
    )
    if group is None:
        raise Http404("Ingen grupp")
    if user.is_superuser:
        return GroupAccess(group=group, role=ADMIN)
    if group.is_principal:
        return GroupAccess(group=group, role=PRINCIPAL)
    if group.is_mentor:
        return GroupAccess(group=group, role=MENTOR)
    if group.is_teacher:
        return GroupAccess(group=group, role=TEACHER)
    raise Http404("Ingen grupp")


def unit_for_principal(request, unit_id) -> Unit:
    """The principal's unit pages (grade catalogue, logs): other staff at the unit 403,
    everyone else 404."""
    user = request.user
    unit = Unit.objects.filter(pk=unit_id, kind=Unit.Kind.GRUNDSKOLA).first()
    if unit is None:
        raise Http404("Ingen enhet")
    if user.is_superuser:
        return unit
    roles = set(StaffDuty.objects.filter(active_q(), user=user, unit=unit).values_list("role", flat=True))
    if not roles:
        raise Http404("Ingen enhet")
    if StaffDuty.Role.REKTOR not in roles:
        raise PermissionDenied
    return unit


def principal_unit_ids(user) -> set[int]:
    return set(
        StaffDuty.objects.filter(active_q(), user=user, role=StaffDuty.Role.REKTOR).values_list("unit_id", flat=True)
    )


def staff_member_for_principal(request, user_id):
    """A staff member with a duty at one of the viewer's units (the principal's log per
    staff member). 404 otherwise; 403 for staff who are not principals."""
    from accounts.models import User

    viewer = request.user
    if viewer.is_superuser:
        member = User.objects.filter(pk=user_id).first()
        if member is None:
            raise Http404("Ingen personal")
        return member, None
    units = principal_unit_ids(viewer)
    if not units:
        raise Http404("Ingen personal")
    member = User.objects.filter(pk=user_id, duties__unit_id__in=units).distinct().first()
    if member is None:
        raise Http404("Ingen personal")
    return member, units
