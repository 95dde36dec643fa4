"""Reads for absence and attendance. Each function states its query count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from django.db import router
from django.db.models import Q
from django.utils import timezone

from absence.models import AbsenceReport, LeaveApplication, LessonAttendance, Reason
from config.statements import Statement, columns, instance, together
from roster.calendar import calendar_for, load_shared_calendar
from roster.models import Child, Group, GroupStaff, Placement, Unit, active_q
from roster.policy import principal_unit_ids_q
from school import selectors as school
from school.models import Lesson

BOX_REPORTS = 4


# --- Guardian side --------------------------------------------------------------------------


def reports_ahead(*, child_ids: list[int], today: date) -> list[AbsenceReport]:
    """One query: reports that are not over yet."""
    return list(AbsenceReport.objects.filter(child_id__in=child_ids, end_date__gte=today).order_by("start_date"))


def leave_recent(*, child_ids: list[int], today: date) -> list[LeaveApplication]:
    """One query: open applications and decided ones that are not over yet."""
    return list(
        LeaveApplication.objects.filter(child_id__in=child_ids)
        .filter(
            Q(end_date__gte=today)
            | Q(state__in=[LeaveApplication.State.AWAITING_CONSENT, LeaveApplication.State.PENDING])
        )
        .order_by("start_date")
    )


_REPORT_FIELDS = ("id", "child_id", "start_date", "end_date", "start_time", "end_time", "reason", "leave_id")


def _report_row(row: dict) -> dict:
    row = dict(row)
    row["reason_label"] = str(Reason(row["reason"]).label)
    row["whole_day"] = row["start_time"] is None
    return row


def _reports_and_leave(*, ids: list[int], today: date):
    """The reports ahead ("r", reason) and the leave applications ("l", state): one UNION ALL."""
    from django.db.models import CharField, IntegerField, TimeField, Value

    reports_ahead = (
        AbsenceReport.objects.filter(child_id__in=ids, end_date__gte=today)
        .order_by()
        .values_list(Value("r", output_field=CharField()), *_REPORT_FIELDS)
    )
    no_time, no_id = Value(None, output_field=TimeField()), Value(None, output_field=IntegerField())
    applications = (
        LeaveApplication.objects.filter(child_id__in=ids)
        .filter(
            Q(end_date__gte=today)
            | Q(state__in=[LeaveApplication.State.AWAITING_CONSENT, LeaveApplication.State.PENDING])
        )
        .order_by()
        .values_list(
            Value("l", output_field=CharField()),
            "id",
            "child_id",
            "start_date",
            "end_date",
            no_time,
            no_time,
            "state",
            no_id,
        )
    )
    return reports_ahead.union(applications, all=True).order_by()


_REPORTS_AND_LEAVE = Statement(_reports_and_leave)


def absence_box_for_children(*, viewer, children: list) -> dict[int, dict]:
    """Three queries for all children (reports ahead and leave applications together, and
    today's school calendar: closed periods and terms; two in the Hub, whose shared calendar
    loads those together), as plain data: the same whoever looks, so the Hub caches it per
    child (the key holds the date; closing a day bumps the unit)."""
    today = timezone.localdate()
    ids = [c.pk for c in children]
    # The closed days are asked with the reports (in the Hub: one round trip for both).
    rows, _ = together([lambda: _REPORTS_AND_LEAVE(ids=ids, today=today), load_shared_calendar])
    rows = sorted(rows, key=lambda r: (r[3], r[1]))
    reports = [_report_row(dict(zip(_REPORT_FIELDS, r[1:], strict=True))) for r in rows if r[0] == "r"]
    leave = [
        {
            "id": pk,
            "child_id": child_id,
            "start_date": start,
            "end_date": end,
            "state": state,
            "state_label": str(LeaveApplication.State(state).label),
        }
        for _kind, pk, child_id, start, end, _st, _et, state, _leave in rows
        if _kind == "l"
    ]
    calendar = calendar_for(start=today, end=today, unit_ids={p.unit_id for c in children for p in c.active_placements})
    result = {}
    for child in children:
        mine = [r for r in reports if r["child_id"] == child.pk]
        is_school_child = bool(school.school_group_ids(child))
        result[child.pk] = {
            "child": {"id": child.pk, "given_name": child.given_name, "full_name": child.full_name},
            "today": [r for r in mine if r["start_date"] <= today],
            "upcoming": [r for r in mine if r["start_date"] > today][:BOX_REPORTS],
            "leave": [a for a in leave if a["child_id"] == child.pk],
            "is_school_child": is_school_child,
            # No two-tap button when the child has neither school nor care today (a weekend,
            # a holiday, a studiedag, lov for a pupil without fritids): nothing to report.
            "quick_sick": any(calendar.is_open(today, unit=p.unit) for p in child.active_placements),
        }
    return result


def child_history(*, child: Child) -> dict:
    """Three queries: the child's reports, leave applications, and the lesson absences of the last 120 days."""
    today = timezone.localdate()
    reports = list(AbsenceReport.objects.filter(child=child).select_related("reported_by", "leave"))
    leave = list(LeaveApplication.objects.filter(child=child))
    absences = list(
        LessonAttendance.objects.filter(child=child, date__gte=today - timedelta(days=120))
        .exclude(status=LessonAttendance.Status.PRESENT)
        .select_related("lesson__subject")
        .order_by("-date", "-lesson__start_time")[:50]
    )
    return {
        "current": [r for r in reports if r.end_date >= today],
        "past": [r for r in reports if r.end_date < today],
        "leave": leave,
        "absences": absences,
        "today": today,
    }


# --- Staff: today's absence ---------------------------------------------------------------


class Named(NamedTuple):
    """A child or a group as today's absence names it: its id and name, no model instance."""

    pk: int
    name: str

    @property
    def full_name(self) -> str:
        return self.name


@dataclass
class AbsentChild:
    child: Named
    group: Named | None
    reports: list[AbsenceReport]


@dataclass
class UnitAbsence:
    unit: Unit
    children: list[AbsentChild] = field(default_factory=list)


def reports_covering(day: date):
    """The one definition of "absent on `day`": a report (sick, other, late arrival, granted
    leave) whose dates cover the day, whole day or part of it. The staff's Frånvaro box counts
    with it, and so do the care counts of the schedules box (schedules/integrations.py), so the
    two agree. A lazy queryset, no query of its own."""
    return AbsenceReport.objects.filter(start_date__lte=day, end_date__gte=day)


_REPORT_COLUMNS = columns(AbsenceReport)


def _absent_rows(*, unit_ids, day, group_id):
    """A row per report covering `day` (reports_covering, the one definition) and placement of
    its child active that day in these units (in one group only, with `group_id`): the
    placement's unit, child and group with their names, then the report's every column.
    Joined, not asked in two steps (the reports by the ids the placements gave): one round
    trip, and PostgreSQL finds the reports by their dates and the placements by child. The
    placement's conditions stand in one Q, so that they all name the same joined placement."""
    placement = "child__placements__"
    placed = Q(active_q(placement, on=day), child__placements__unit_id__in=unit_ids)
    if group_id is not None:
        placed &= Q(child__placements__group_id=group_id)
    names = [f"{placement}unit_id", "child_id", f"{placement}group_id", f"{placement}group__name"]
    names += ["child__given_name", "child__family_name"]
    order = [f"{placement}group__name", "child__given_name", "child__family_name", "child_id", f"{placement}unit_id"]
    return (
        reports_covering(day).filter(placed).order_by(*order, "start_time", "id").values_list(*names, *_REPORT_COLUMNS)
    )


# A statement (config.statements): the staff's Frånvaro box asks on every cold Hub.
_ABSENT_ROWS = Statement(_absent_rows)


def absent_names_on(*, unit_ids: set[int], day: date, group_id: int | None = None) -> dict[int, list[AbsentChild]]:
    """The children placed in these units with a report covering `day` (in one group only,
    with `group_id`), in the order staff read them, each with its group and reports (by start
    time): one query. Staff of the unit see every placed child (protected identity included:
    they are the school). The child and the group are `Named` rows, not model instances: on a
    flu day a school has a hundred children reported absent, and three instances each made the
    Hub's Frånvaro box four times as slow (and Dagens frånvaro, rebuilt after every report,
    too)."""
    alias = router.db_for_read(AbsenceReport)
    placed: dict[tuple, AbsentChild] = {}
    result: dict[int, list[AbsentChild]] = defaultdict(list)
    for row in _ABSENT_ROWS(unit_ids=sorted(unit_ids), day=day, group_id=group_id or None):
        unit_id, child_id, group_id_, group_name, given_name, family_name = row[:6]
        absent = placed.get((unit_id, child_id, group_id_))
        if absent is None:
            child = Named(child_id, f"{given_name} {family_name}")  # as Child.full_name
            group = Named(group_id_, group_name) if group_id_ else None
            absent = placed[unit_id, child_id, group_id_] = AbsentChild(child=child, group=group, reports=[])
            result[unit_id].append(absent)
        absent.reports.append(instance(AbsenceReport, _REPORT_COLUMNS, row, 6, alias))
    return result


@dataclass
class LessonToday:
    occurrence: school.Occurrence
    reported_absent: int


def teacher_lessons_on(
    *, user, day: date, absent: dict[int, list[AbsentChild]], lessons: list | None = None
) -> list[LessonToday]:
    """Two queries: the teacher's lessons (none when `lessons`, the teacher's lessons on that
    weekday, are handed in) and the closed days."""
    if lessons is None:
        lessons = school.lessons_for_teacher(user=user, weekday=day.weekday())
    # Asked even without lessons today, so the count is the same on every day of the week.
    closed = school.closed_days_for(unit_ids={lesson.group.unit_id for lesson in lessons}, start=day, end=day)
    result = []
    for occ in school.occurrences(lessons=lessons, start=day, end=day, closed=closed):
        lesson = occ.lesson
        in_group = [
            a
            for a in absent.get(lesson.group.unit_id, [])
            if a.group
            and a.group.pk == lesson.group_id
            and any(r.covers(day, lesson.start_time, lesson.end_time) for r in a.reports)
        ]
        result.append(LessonToday(occurrence=occ, reported_absent=len(in_group)))
    return result


_STAFF_GROUPS = Statement(
    lambda user_id, on: GroupStaff.objects.filter(active_q(on=on), user_id=user_id).values_list(
        "group_id", "group__name", "group__unit_id"
    )
)


def staff_groups(*, user) -> dict[int, tuple[str, int]]:
    """One query: groups where the user is mentor, teacher or pedagog today → (name, unit id)."""
    rows = _STAFF_GROUPS(user_id=user.pk, on=timezone.localdate())
    return {group_id: (name, unit_id) for group_id, name, unit_id in rows}


def absence_box_for_units(*, viewer, units: list) -> dict[int, dict]:
    """Four queries: the viewer's groups (with names), today's absent children with their
    reports, the viewer's lessons and closed days. Plain data; it depends on the viewer (their
    groups and lessons), so the box is cached per viewer and unit. The groups, the absent
    children and the lessons need nothing of each other: they are asked together
    (config.statements), and in the Hub the closed days come from its shared calendar, loaded
    beside them, so on PostgreSQL the box waits for the database once."""
    today = timezone.localdate()
    unit_ids = {u.pk for u in units}
    my_groups, absent, my_lessons, _ = together(
        [
            lambda: staff_groups(user=viewer.user),
            lambda: absent_names_on(unit_ids=unit_ids, day=today),
            lambda: school.lessons_for_teacher(user=viewer.user, weekday=today.weekday()),
            load_shared_calendar,
        ]
    )
    rektor_units = {d.unit_id for d in viewer.duties if d.role == "rektor"}
    lessons = teacher_lessons_on(user=viewer.user, day=today, absent=absent, lessons=my_lessons)

    def absent_row(a: AbsentChild) -> dict:
        return {
            "name": a.child.full_name,
            "group": a.group.name if a.group else "",
            "reports": [_report_row({f: getattr(r, f) for f in _REPORT_FIELDS}) for r in a.reports],
        }

    def lesson_row(lt: LessonToday) -> dict:
        lesson = lt.occurrence.lesson
        return {
            "id": lesson.pk,
            "start_time": lesson.start_time,
            "subject": lesson.subject.name,
            "group": lesson.group.name,
            "held": lt.occurrence.held,
            "not_held_reason": lt.occurrence.not_held_reason,
            "reported_absent": lt.reported_absent,
        }

    result = {}
    for unit in units:
        everyone = absent.get(unit.pk, [])
        mine = [a for a in everyone if a.group and a.group.pk in my_groups]
        # The unit's principal sees the whole unit (also one who teaches a group there), as
        # does staff without groups; a teacher sees their own groups.
        whole_unit = unit.pk in rektor_units or not my_groups
        result[unit.pk] = {
            "staff": True,
            "unit": {"id": unit.pk, "name": unit.name},
            "absent": [absent_row(a) for a in (everyone if whole_unit else mine)],
            "total": len(everyone),
            "lessons": [lesson_row(lt) for lt in lessons if lt.occurrence.lesson.group.unit_id == unit.pk],
            "today": today,
            "stats_groups": sorted((name, gid) for gid, (name, uid) in my_groups.items() if uid == unit.pk),
            "unit_stats": unit.pk in rektor_units or viewer.is_superuser,
        }
    return result


# --- Lesson attendance ---------------------------------------------------------------------


@dataclass
class SheetRow:
    child: Child
    report: AbsenceReport | None
    existing: LessonAttendance | None

    @property
    def initial_status(self) -> str:
        if self.existing:
            return self.existing.status
        return LessonAttendance.Status.ABSENT if self.report else LessonAttendance.Status.PRESENT

    @property
    def initial_valid(self) -> bool:
        if self.existing:
            return self.existing.valid
        return self.report is not None

    @property
    def initial_minutes(self) -> int | None:
        return self.existing.late_minutes if self.existing and self.existing.late_minutes else None


@dataclass
class Sheet:
    lesson: Lesson
    day: date
    rows: list[SheetRow]
    registered: bool

    @property
    def pupil_ids(self) -> set[int]:
        return {r.child.pk for r in self.rows}

    @property
    def reported(self) -> int:
        return sum(r.report is not None for r in self.rows)


def attendance_sheet(*, lesson: Lesson, day: date, with_existing: bool = True) -> Sheet:
    """Three queries (two without the existing registrations): the group's pupils on `day`,
    the guardian reports covering the lesson, and what is already registered."""
    pupils = list(
        Child.objects.filter(placements__in=Placement.objects.filter(active_q(on=day), group_id=lesson.group_id))
        .distinct()
        .order_by("given_name", "family_name")
    )
    ids = [c.pk for c in pupils]
    reports = [
        r
        for r in AbsenceReport.objects.filter(child_id__in=ids, start_date__lte=day, end_date__gte=day)
        if r.covers(day, lesson.start_time, lesson.end_time)
    ]
    report_by_child = {r.child_id: r for r in reports}
    existing = {}
    if with_existing:
        existing = {a.child_id: a for a in LessonAttendance.objects.filter(lesson=lesson, date=day, child_id__in=ids)}
    rows = [SheetRow(child=c, report=report_by_child.get(c.pk), existing=existing.get(c.pk)) for c in pupils]
    return Sheet(lesson=lesson, day=day, rows=rows, registered=bool(existing))


def lesson_held_reason(*, lesson: Lesson, day: date) -> str | None:
    """One query (closed days): None when the lesson is held on `day`, else why not."""
    if not school.lesson_runs_on(lesson, day):
        return "Lektionen ligger inte på den dagen."
    closed = school.closed_days_for(unit_ids={lesson.group.unit_id}, start=day, end=day)
    return closed.reason(day=day, unit_id=lesson.group.unit_id, group_id=lesson.group_id)


def groups_of_units(*, unit_ids: set[int]) -> list[Group]:
    """One query: the units' groups, for the filter on the today page."""
    return list(Group.objects.filter(unit_id__in=unit_ids).select_related("unit").order_by("unit__name", "name"))


def school_group_ids(child) -> set[int]:
    return school.school_group_ids(child)


def leave_decision_context(*, application: LeaveApplication) -> dict:
    """What the school needs to decide: the pupil's class, their absence so far this term and
    what happens at school in the period (national tests, events, lov). Queries: 6 (the
    school placement, the term, the statistics' 3, events; closed periods 1)."""
    from absence import stats
    from hub.models import Event, reaching

    placement = (
        Placement.objects.filter(active_q(on=application.start_date) | active_q(), child=application.child)
        .filter(unit__kind=Unit.Kind.GRUNDSKOLA)
        .select_related("group", "unit")
        .first()
    )
    if placement is None:
        return {}
    term = stats.current_term()
    pupils = (
        stats.stats_for_groups(groups=[placement.group], term=term, child_id=application.child_id).pupils
        if placement.group_id
        else []
    )
    events = list(
        Event.objects.filter(start_date__lte=application.end_date, end_date__gte=application.start_date)
        .filter(reaching([placement.unit_id], [placement.group_id] if placement.group_id else []))
        .order_by("start_date")
    )
    closures = calendar_for(
        start=application.start_date, end=application.end_date, unit_ids=[placement.unit_id], with_terms=False
    ).closures
    return {
        "school_group": placement.group,
        "school_unit": placement.unit,
        "term": term,
        "term_stats": pupils[0] if pupils else None,
        "period_events": events,
        "period_closures": [
            c
            for c in closures
            if c.applies_to(unit_id=placement.unit_id, unit_kind=placement.unit.kind, group_id=placement.group_id)
        ],
    }


def leave_to_decide(*, user) -> list[LeaveApplication]:
    """One query: pending applications for children at schools where the user is principal
    or in groups they mentor (the view shows which ones they may decide)."""
    if user.is_superuser:
        qs = LeaveApplication.objects.all()
    else:
        rektor_units = principal_unit_ids_q(user)
        mentor_groups = GroupStaff.objects.filter(active_q(), user=user, role=GroupStaff.Role.MENTOR).values("group_id")
        children = Placement.objects.filter(active_q()).filter(
            Q(unit_id__in=rektor_units) | Q(group_id__in=mentor_groups)
        )
        qs = LeaveApplication.objects.filter(child_id__in=children.values("child_id"))
    return list(qs.filter(state=LeaveApplication.State.PENDING).select_related("child").order_by("start_date"))


def teaching_groups_of_unit(*, unit: Unit) -> list[Group]:
    """One query: the unit's classes and teaching groups, for the principal's statistics."""
    return list(Group.objects.filter(unit=unit, kind__in=[Group.Kind.KLASS, Group.Kind.UNDERVISNINGSGRUPP]))
