"""Access helpers for absence objects, built on roster's policy: 404 when the viewer has no
relation to the object, 403 when they may read but not change it."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import Http404

from absence.models import AbsenceReport, LeaveApplication
from roster.access import get_child_for_viewer
from roster.models import Child, Group, GroupStaff, Unit, active_q
from roster.policy import children_visible_to, is_own_child, viewer_for
from school.models import Lesson

__all__ = ["get_child_for_viewer"]


def is_guardian_of(request, child: Child) -> bool:
    """No query: the viewer's own children are loaded once per request (viewer_for)."""
    viewer = viewer_for(request)
    return any(c.pk == child.pk and c.user_id != request.user.pk for c in viewer.children)


def get_child_for_report(request, child_id) -> Child:
    """A child the viewer may report absent: 404 when not visible, 403 for readers
    (the student themself, staff) who are not the child's guardian."""
    child = get_child_for_viewer(request, child_id)
    if not is_guardian_of(request, child):
        raise PermissionDenied
    return child


def guardian_children(request) -> list[Child]:
    """The viewer's own children (not themself as a student); 403 for anyone else."""
    viewer = viewer_for(request)
    children = [c for c in viewer.children if c.user_id != request.user.pk]
    if not children:
        raise PermissionDenied
    return children


def get_report_for_viewer(request, report_id) -> AbsenceReport:
    report = (
        AbsenceReport.objects.filter(pk=report_id, child__in=children_visible_to(request.user))
        .select_related("child", "leave")
        .first()
    )
    if report is None:
        raise Http404("Ingen anmälan")
    return report


def get_report_for_edit(request, report_id) -> AbsenceReport:
    report = get_report_for_viewer(request, report_id)
    if not is_own_child(request.user, report.child_id):
        raise PermissionDenied
    return report


def get_leave_for_viewer(request, leave_id) -> LeaveApplication:
    application = (
        LeaveApplication.objects.filter(pk=leave_id, child__in=children_visible_to(request.user))
        .select_related("child", "applied_by", "consent_by", "decided_by")
        .first()
    )
    if application is None:
        raise Http404("Ingen ansökan")
    if application.state == LeaveApplication.State.AWAITING_CONSENT:
        # The school sees the application only once the other guardian has agreed.
        family = {c.pk for c in viewer_for(request).children}
        if application.child_id not in family:
            raise Http404("Ingen ansökan")
    return application


# --- Lessons --------------------------------------------------------------------------------


def _lesson_qs(user):
    # The viewer's role in the lesson's group: "mentor" sorts before "teacher", so a mentor
    # who also teaches is a mentor. One subquery; only what the sheet shows is joined (each
    # joined table adds to PostgreSQL's planning: 3 ms with six tables and two subqueries).
    role = (
        GroupStaff.objects.filter(
            active_q(),
            user=user,
            group_id=OuterRef("group_id"),
            role__in=[GroupStaff.Role.TEACHER, GroupStaff.Role.MENTOR],
        )
        .order_by("role")
        .values("role")[:1]
    )
    return Lesson.objects.select_related("subject", "group", "term").annotate(group_role=Subquery(role))


def get_lesson_for_staff(request, lesson_id) -> Lesson:
    """One query: the lesson with its relations and the viewer's roles in its group; the
    roles at its unit come from the cached viewer. 404 unless the viewer works at the
    lesson's unit."""
    user = request.user
    viewer = viewer_for(request)
    lesson = _lesson_qs(user).filter(pk=lesson_id).first()
    if lesson is None or not viewer.may_manage_unit(lesson.group.unit_id):
        raise Http404("Ingen lektion")
    lesson.may_correct = (
        user.is_superuser or viewer.is_principal_of(lesson.group.unit_id) or lesson.group_role == GroupStaff.Role.MENTOR
    )
    lesson.may_register = lesson.may_correct or lesson.teacher_id == user.pk or lesson.group_role is not None
    return lesson


def require_may_register(lesson: Lesson, day: date, today: date) -> None:
    """The lesson's teachers register it on any school day that has come (a late registration
    of last Friday's lesson included); the mentor and the principal may correct too. Everyone
    else at the unit may only read. Days ahead are refused by the service."""
    if lesson.may_correct:
        return
    if not lesson.may_register:
        raise PermissionDenied


# --- Statistics -----------------------------------------------------------------------------


def get_group_for_stats(request, group_id) -> Group:
    """One query (the group with its unit; the viewer is cached). Staff at the group's unit
    may see its statistics; others get 404."""
    group = Group.objects.select_related("unit").filter(pk=group_id).first()
    if group is None or not viewer_for(request).may_manage_unit(group.unit_id):
        raise Http404("Ingen grupp")
    return group


def get_unit_for_stats(request, unit_id) -> Unit:
    """The principal's (and admin's) unit view; other staff at the unit get 403, others 404."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404("Ingen enhet")
    viewer = viewer_for(request)
    if not viewer.may_manage_unit(unit.pk):
        raise Http404("Ingen enhet")
    if not viewer.is_principal_of(unit.pk):
        raise PermissionDenied
    return unit
