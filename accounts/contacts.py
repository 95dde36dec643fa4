"""The contact list (Kontaktlista) per group.

Staff of the group with their work contact details; the other families as each guardian
chose to show themselves on their contact page (name, phone and e-mail each visible or not;
hidden by default). A child with protected identity and their guardians never appear.
Staff who work in the group see every guardian's details. Guardians see the list of the
groups their children are in, nobody else's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import Http404

from roster.models import Group, GroupStaff, Guardianship, Placement, StaffDuty, active_q


@dataclass
class StaffContact:
    name: str
    role: str
    email: str
    phone: str


@dataclass
class GuardianContact:
    name: str
    email: str = ""
    phones: list[str] = field(default_factory=list)


@dataclass
class FamilyContact:
    child_name: str
    guardians: list[GuardianContact]


@dataclass
class GroupContacts:
    group: Group
    staff: list[StaffContact]
    families: list[FamilyContact]
    full_details: bool  # the viewer works in the group: every guardian's details


def _staff_group_ids(user) -> set[int]:
    """Groups the user works in, and every group of units they lead (principal)."""
    groups = set(GroupStaff.objects.filter(active_q(), user=user).values_list("group_id", flat=True))
    led = StaffDuty.objects.filter(active_q(), user=user, role=StaffDuty.Role.REKTOR).values("unit_id")
    groups |= set(Group.objects.filter(unit_id__in=led).values_list("pk", flat=True))
    return groups


def contact_groups(*, viewer) -> list[Group]:
    """The groups whose contact list the viewer may open."""
    family = {
        p.group_id for c in viewer.children if c.user_id != viewer.user.pk for p in c.active_placements if p.group_id
    }
    ids = family | (_staff_group_ids(viewer.user) if viewer.is_staff_member else set())
    rows = Group.objects.select_related("unit").order_by("unit__name", "name")
    if not viewer.is_superuser:
        rows = rows.filter(pk__in=ids)
    return list(rows)


def get_group_for_contacts(*, viewer, group_id: int) -> tuple[Group, bool]:
    """The group and whether the viewer works in it; 404 for a group that is none of theirs."""
    staff_groups = _staff_group_ids(viewer.user) if viewer.is_staff_member else set()
    family = {
        p.group_id for c in viewer.children if c.user_id != viewer.user.pk for p in c.active_placements if p.group_id
    }
    if not (viewer.is_superuser or group_id in staff_groups or group_id in family):
        raise Http404("Ingen grupp")
    group = Group.objects.select_related("unit").filter(pk=group_id).first()
    if group is None:
        raise Http404("Ingen grupp")
    return group, viewer.is_superuser or group_id in staff_groups


def group_contacts(*, group: Group, full_details: bool, viewer_user=None) -> GroupContacts:
    """Three queries: the group's staff, its children, their guardians."""
    staff = [
        StaffContact(
            name=row.user.get_full_name() or row.user.email,
            role=str(row.get_role_display()),
            email=row.user.email,
            phone=row.user.phone_work,
        )
        for row in GroupStaff.objects.filter(active_q(), group=group, user__is_active=True)
        .select_related("user")
        .order_by("role", "user__first_name")
    ]
    placements = list(
        Placement.objects.filter(active_q(), group=group).select_related("child").order_by("child__given_name")
    )
    children = {p.child_id: p.child for p in placements}
    guardianships = list(
        Guardianship.objects.filter(active_q(), child_id__in=list(children)).select_related("guardian")
    )
    protected_ids = {cid for cid, child in children.items() if child.protected_identity}
    # A protected child's guardians never appear, not even through a sibling in the group.
    hidden_guardians = {g.guardian_id for g in guardianships if g.child_id in protected_ids}
    by_child: dict[int, list] = {}
    for g in guardianships:
        by_child.setdefault(g.child_id, []).append(g.guardian)
    families = []
    for child_id, child in children.items():
        if child_id in protected_ids:
            continue
        shown = []
        for guardian in by_child.get(child_id, []):
            if guardian.pk in hidden_guardians or not guardian.is_active:
                continue
            if full_details:
                phones = [p for p in (guardian.phone_mobile, guardian.phone_home, guardian.phone_work) if p]
                shown.append(
                    GuardianContact(
                        name=guardian.get_full_name() or guardian.email, email=guardian.email, phones=phones
                    )
                )
                continue
            name = guardian.get_full_name() if guardian.share_name else ""
            email = guardian.email if guardian.share_email else ""
            phones = [p for p in (guardian.phone_mobile, guardian.phone_home) if p] if guardian.share_phone else []
            if name or email or phones:
                shown.append(GuardianContact(name=name, email=email, phones=phones))
        families.append(FamilyContact(child_name=child.full_name, guardians=shown))
    return GroupContacts(group=group, staff=staff, families=families, full_details=full_details)
