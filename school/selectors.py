"""Reads for the timetable. Each function states its query count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import router
from django.db.models import Q
from django.utils import timezone

from config.statements import Statement, related_columns, together, with_related
from roster.calendar import SchoolCalendar, calendar_for, load_shared_calendar
from roster.dates import monday_of
from roster.models import Group, Term, Unit
from school.models import Lesson, Subject


@dataclass
class ClosedDays:
    """Holidays and the school units' closed days and lov, from roster.calendar (one query,
    see closed_days_for). Lessons carry their term, so terms are not loaded here."""

    calendar: SchoolCalendar

    @property
    def holidays(self) -> dict[date, str]:
        return self.calendar.holidays

    def reason(self, *, day: date, unit_id: int, group_id: int | None) -> str | None:
        return self.calendar.school_closed_reason(day, unit_id=unit_id, group_id=group_id)


def closed_days_for(*, unit_ids: set[int], start: date, end: date) -> ClosedDays:
    """One query: studiedagar and lov overlapping [start, end] for these units (or the whole municipality)."""
    return ClosedDays(calendar=calendar_for(start=start, end=end, unit_ids=unit_ids, with_terms=False))


@dataclass
class Occurrence:
    lesson: Lesson
    day: date
    not_held_reason: str | None = None

    @property
    def held(self) -> bool:
        return self.not_held_reason is None

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.day, self.lesson.start_time))

    @property
    def ends_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.day, self.lesson.end_time))


def lesson_runs_on(lesson: Lesson, day: date) -> bool:
    """On its weekday and inside its term (a lesson without a term runs every week)."""
    if day.weekday() != lesson.weekday:
        return False
    return lesson.term is None or lesson.term.start_date <= day <= lesson.term.end_date


def occurrences(*, lessons: list[Lesson], start: date, end: date, closed: ClosedDays) -> list[Occurrence]:
    """No query: every lesson on every day in [start, end], with why it is not held."""
    result = []
    day = start
    while day <= end:
        for lesson in lessons:
            if lesson_runs_on(lesson, day):
                reason = closed.reason(day=day, unit_id=lesson.group.unit_id, group_id=lesson.group_id)
                result.append(Occurrence(lesson=lesson, day=day, not_held_reason=reason))
        day += timedelta(days=1)
    return sorted(result, key=lambda o: (o.day, o.lesson.start_time, o.lesson.group.name))


def _lesson_qs():
    return Lesson.objects.select_related("subject", "teacher", "group__unit", "term")


def lessons_for_groups(*, group_ids: set[int]) -> list[Lesson]:
    """One query: the weekly lessons of these groups with subject, teacher, group, unit, term."""
    return list(_lesson_qs().filter(group_id__in=group_ids))


# _lesson_qs()'s relations, for statements that build the same instances.
_LESSON_RELATED = {"subject": Subject, "teacher": get_user_model(), "group": Group, "group__unit": Unit, "term": Term}


def _teacher_lessons(*, user_id, weekday):
    lessons = Lesson.objects.filter(teacher_id=user_id)
    if weekday is not None:
        lessons = lessons.filter(weekday=weekday)
    return lessons.values_list(*related_columns(Lesson, _LESSON_RELATED))


_TEACHER_LESSONS = Statement(_teacher_lessons)


def lessons_for_teacher(*, user, weekday: int | None = None) -> list[Lesson]:
    """One query (a statement: the staff's Frånvaro box asks on every cold Hub): the weekly
    lessons a teacher holds (on one weekday, 0 = Monday, when given), with subject, teacher,
    group, unit and term as `_lesson_qs`."""
    rows = _TEACHER_LESSONS(user_id=user.pk, weekday=weekday)
    return with_related(Lesson, _LESSON_RELATED, rows, router.db_for_read(Lesson))


@dataclass
class WeekDay:
    day: date
    is_today: bool
    holiday: str | None
    lessons: list[Occurrence] = field(default_factory=list)


@dataclass
class Week:
    monday: date
    number: int
    days: list[WeekDay]
    previous: date
    next: date


def week_build(*, lessons: list[Lesson], monday: date) -> Week:
    """One query (the closed days); lessons are handed in."""
    monday = monday_of(monday)
    friday = monday + timedelta(days=4)
    closed = closed_days_for(unit_ids={lesson.group.unit_id for lesson in lessons}, start=monday, end=friday)
    occ = occurrences(lessons=lessons, start=monday, end=friday, closed=closed)
    today = timezone.localdate()
    days = []
    for offset in range(5):
        day = monday + timedelta(days=offset)
        days.append(
            WeekDay(
                day=day,
                is_today=day == today,
                holiday=closed.holidays.get(day),
                lessons=[o for o in occ if o.day == day],
            )
        )
    return Week(
        monday=monday,
        number=monday.isocalendar().week,
        days=days,
        previous=monday - timedelta(days=7),
        next=monday + timedelta(days=7),
    )


def school_group_ids(child) -> set[int]:
    """No query: the child's groups at school units (active placements must be loaded)."""
    return {p.group_id for p in child.active_placements if p.group_id and p.unit.kind == "grundskola"}


def _lesson_rows(*, group_ids: list[int], weekdays: list[int], today: date, tomorrow: date):
    return (
        Lesson.objects.filter(group_id__in=group_ids, weekday__in=weekdays)
        .filter(Q(term__isnull=True) | Q(term__start_date__lte=tomorrow, term__end_date__gte=today))
        .order_by("id")
        .values(
            "group_id",
            "weekday",
            "start_time",
            "end_time",
            "room",
            "subject__name",
            "term__start_date",
            "term__end_date",
        )
    )


_LESSONS = Statement(_lesson_rows)  # built and compiled once per shape (config.statements)


def lessons_box_for_children(*, children: list) -> dict[int, dict]:
    """Two queries for all children: today's and tomorrow's lessons of their groups (plain
    rows, only the weekdays shown) and the closed days. The same data whoever looks.

    The lessons are ordered by start time and group name here, with the names of the groups
    the children's placements carry (loaded with them), so the query joins no group table."""
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    groups_by_child = {c.pk: school_group_ids(c) for c in children}
    all_groups = set().union(*groups_by_child.values()) if groups_by_child else set()
    if not all_groups:
        return {}
    unit_of_group = {p.group_id: p.unit_id for c in children for p in c.active_placements if p.group_id}
    name_of_group = {p.group_id: p.group.name for c in children for p in c.active_placements if p.group_id}
    # The closed days are asked with the lessons (in the Hub: one round trip for both).
    rows, _ = together(
        [
            lambda: _LESSONS(
                group_ids=sorted(all_groups),
                weekdays=[today.weekday(), tomorrow.weekday()],
                today=today,
                tomorrow=tomorrow,
            ),
            load_shared_calendar,
        ]
    )
    rows.sort(key=lambda row: (row["start_time"], name_of_group[row["group_id"]]))  # stable: ties by id
    closed = closed_days_for(unit_ids=set(unit_of_group.values()), start=today, end=tomorrow)
    days: list[tuple[date, str, list[dict]]] = []
    for day, label in ((today, "idag"), (tomorrow, "imorgon")):
        held = []
        for row in rows:
            if row["weekday"] != day.weekday():
                continue
            if row["term__start_date"] and not (row["term__start_date"] <= day <= row["term__end_date"]):
                continue
            reason = closed.reason(day=day, unit_id=unit_of_group.get(row["group_id"]), group_id=row["group_id"])
            held.append(
                {
                    "group_id": row["group_id"],
                    "start_time": row["start_time"],
                    "end_time": row["end_time"],
                    "subject": row["subject__name"],
                    "room": row["room"],
                    "held": reason is None,
                    "not_held_reason": reason,
                }
            )
        days.append((day, label, held))
    result = {}
    for child in children:
        groups = groups_by_child[child.pk]
        if not groups:
            continue
        result[child.pk] = {
            "child": {"id": child.pk, "full_name": child.full_name},
            "days": [
                {"day": day, "label": label, "lessons": [o for o in held if o["group_id"] in groups]}
                for day, label, held in days
            ],
        }
    return result


# The weekly plan's day items for the evening digest and other readers (issue 13):
# weekly_items_for(children, day) -> {child_id: [{"kind", "kind_label", "text", "group"}]}.
from school.teaching_selectors import weekly_items_for  # noqa: E402, F401
