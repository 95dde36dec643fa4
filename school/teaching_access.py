"""Access to plannings, weekly plans, assignments and eTests, built on roster's policy.

Who may do what with a group's teaching content:
- the group's staff (GroupStaff, any role, active) and superusers write, and see drafts;
- the principal (rektor duty at the group's unit) reads everything and writes nothing (403);
- families of the group (the pupils placed in it, and their guardians) read what is
  published, and only their own child's submissions, conversations and test results;
- everyone else gets 404: existence must not leak.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from roster.models import Child, Group, GroupStaff, StaffDuty, active_q
from roster.policy import viewer_for
from school.models import Assignment, ETest, Planning, WeeklyPlan


@dataclass
class GroupRole:
    group: Group
    may_write: bool = False
    is_staff_reader: bool = False  # sees drafts and every pupil (group staff, principal, admin)
    family_children: list[Child] = field(default_factory=list)  # viewer's own children in the group
    student_child: Child | None = None  # the viewer themself, as a pupil of the group

    @property
    def is_family(self) -> bool:
        return bool(self.family_children)

    def require_write(self) -> None:
        if not self.may_write:
            raise PermissionDenied


def _family_children(request, group_id: int) -> list[Child]:
    """No query: the viewer's children (or themself) are loaded once per request."""
    viewer = viewer_for(request)
    return [c for c in viewer.children if any(p.group_id == group_id for p in c.active_placements)]


def group_role(request, group: Group) -> GroupRole:
    """One query (the viewer's staff roles at the group); 404 for outsiders."""
    user = request.user
    if not user.is_authenticated:
        raise Http404
    role = GroupRole(group=group)
    if user.is_superuser:
        role.may_write = role.is_staff_reader = True
    else:
        flags = (
            Group.objects.filter(pk=group.pk)
            .annotate(
                teaches=Exists(GroupStaff.objects.filter(active_q(), user=user, group_id=OuterRef("pk"))),
                leads=Exists(
                    StaffDuty.objects.filter(
                        active_q(), user=user, unit_id=OuterRef("unit_id"), role=StaffDuty.Role.REKTOR
                    )
                ),
            )
            .values_list("teaches", "leads")
            .first()
        )
        teaches, leads = flags or (False, False)
        role.may_write = bool(teaches)
        role.is_staff_reader = bool(teaches or leads)
    role.family_children = _family_children(request, group.pk)
    role.student_child = next((c for c in role.family_children if c.user_id == user.pk), None)
    if not role.is_staff_reader and not role.family_children:
        raise Http404
    return role


def get_group(request, group_id) -> GroupRole:
    group = Group.objects.select_related("unit").filter(pk=group_id).first()
    if group is None:
        raise Http404
    return group_role(request, group)


def writable_groups(user) -> list[Group]:
    """One query: the groups whose teaching content the user writes."""
    qs = Group.objects.select_related("unit").filter(unit__kind="grundskola")
    if not user.is_superuser:
        qs = qs.filter(staff__in=GroupStaff.objects.filter(active_q(), user=user)).distinct()
    return list(qs.order_by("unit__name", "name"))


def staff_group_ids(user) -> set[int]:
    """One query: groups the user teaches, or leads as principal (for staff lists)."""
    if user.is_superuser:
        return set(Group.objects.filter(unit__kind="grundskola").values_list("pk", flat=True))
    teaches = GroupStaff.objects.filter(active_q(), user=user).values("group_id")
    leads = StaffDuty.objects.filter(active_q(), user=user, role=StaffDuty.Role.REKTOR).values("unit_id")
    return set(
        Group.objects.filter(Q(pk__in=teaches) | Q(unit_id__in=leads), unit__kind="grundskola").values_list(
            "pk", flat=True
        )
    )


def family_group_ids(request) -> set[int]:
    """No query: the school groups of the viewer's children (or themself)."""
    viewer = viewer_for(request)
    return {
        p.group_id for c in viewer.children for p in c.active_placements if p.group_id and p.unit.kind == "grundskola"
    }


def _published_or_staff(obj, role: GroupRole) -> None:
    if not role.is_staff_reader and not obj.is_published:
        raise Http404  # a draft does not exist for families


def get_planning(request, planning_id, *, write: bool = False) -> tuple[Planning, GroupRole]:
    planning = Planning.objects.select_related("group__unit", "subject", "created_by").filter(pk=planning_id).first()
    if planning is None:
        raise Http404
    role = group_role(request, planning.group)
    _published_or_staff(planning, role)
    if write:
        role.require_write()
    return planning, role


def get_weekly_plan(request, plan_id) -> tuple[WeeklyPlan, GroupRole]:
    plan = WeeklyPlan.objects.select_related("group__unit").filter(pk=plan_id).first()
    if plan is None:
        raise Http404
    role = group_role(request, plan.group)
    if not role.is_staff_reader and not plan.is_visible():
        raise Http404
    return plan, role


def get_assignment(request, assignment_id, *, write: bool = False) -> tuple[Assignment, GroupRole]:
    assignment = (
        Assignment.objects.select_related("group__unit", "subject", "created_by")
        .prefetch_related("students")
        .filter(pk=assignment_id)
        .first()
    )
    if assignment is None:
        raise Http404
    role = group_role(request, assignment.group)
    _published_or_staff(assignment, role)
    if not role.is_staff_reader:
        # Families see an assignment only when it is given to one of their children.
        chosen = {c.pk for c in assignment.students.all()}
        if chosen and not any(c.pk in chosen for c in role.family_children):
            raise Http404
    if write:
        role.require_write()
    return assignment, role


def assignment_child(assignment: Assignment, role: GroupRole, child_id) -> Child:
    """The pupil whose work is looked at: staff any recipient, families only their own."""
    try:
        child_id = int(child_id)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    chosen = {c.pk for c in assignment.students.all()}
    if chosen and child_id not in chosen:
        raise Http404
    if role.is_staff_reader:
        from school.teaching_selectors import group_pupils

        child = next((c for c in group_pupils(group_id=assignment.group_id) if c.pk == child_id), None)
    else:
        child = next((c for c in role.family_children if c.pk == child_id), None)
    if child is None:
        raise Http404
    return child


def get_etest(request, etest_id, *, write: bool = False) -> tuple[ETest, GroupRole]:
    etest = ETest.objects.select_related("group__unit", "subject").filter(pk=etest_id).first()
    if etest is None:
        raise Http404
    role = group_role(request, etest.group)
    # Only the pupils themselves see a test: never guardians (a test is the student's own).
    if not role.is_staff_reader and (role.student_child is None or not etest.is_published):
        raise Http404
    if write:
        role.require_write()
    return etest, role


def require_student(role: GroupRole) -> Child:
    if role.student_child is None:
        raise PermissionDenied
    return role.student_child
