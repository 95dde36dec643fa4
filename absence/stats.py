"""Absence statistics: absence as a share of scheduled lesson time, per pupil and term.

Counted from the lesson registrations: 'frånvarande' counts the whole lesson, 'sen' the
minutes late. Scheduled time is every held lesson from the term's start to today (or the
term's end) on the days the pupil was placed in the group. Four queries for any number of
groups and pupils: placements, lessons, closed days, registrations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone

from absence.models import LessonAttendance
from roster.dates import monday_of
from roster.models import Child, Group, Placement, Term
from roster.policy import placements_overlapping
from school import selectors as school


@dataclass
class PupilStats:
    child: Child
    group: Group
    scheduled: int = 0  # minutes
    valid: int = 0
    invalid: int = 0

    @property
    def absent(self) -> int:
        return self.valid + self.invalid

    def _pct(self, minutes: int) -> float:
        return round(100 * minutes / self.scheduled, 1) if self.scheduled else 0.0

    @property
    def percent(self) -> float:
        return self._pct(self.absent)

    @property
    def valid_percent(self) -> float:
        return self._pct(self.valid)

    @property
    def invalid_percent(self) -> float:
        return self._pct(self.invalid)

    @property
    def over_threshold(self) -> bool:
        return self.percent > settings.SKOLHUBB_ABSENCE_THRESHOLD_PERCENT


@dataclass
class WeekBar:
    monday: date
    number: int
    scheduled: int
    absent: int

    @property
    def percent(self) -> float:
        return round(100 * self.absent / self.scheduled, 1) if self.scheduled else 0.0


@dataclass
class Stats:
    term: Term | None
    pupils: list[PupilStats] = field(default_factory=list)
    weeks: list[WeekBar] = field(default_factory=list)
    threshold: int = 10

    @property
    def over(self) -> int:
        return sum(p.over_threshold for p in self.pupils)


def current_term(today: date | None = None) -> Term | None:
    """One query: the term covering today, else the latest one that has started."""
    today = today or timezone.localdate()
    return Term.objects.filter(start_date__lte=today).order_by("-start_date").first()


def terms_all() -> list[Term]:
    return list(Term.objects.order_by("-start_date")[:6])


def stats_for_groups(
    *, groups: list[Group], term: Term | None, today: date | None = None, child_id: int | None = None
) -> Stats:
    """Every pupil of the groups, or only `child_id` (a guardian's or student's own view)."""
    threshold = settings.SKOLHUBB_ABSENCE_THRESHOLD_PERCENT
    if term is None or not groups:
        return Stats(term=term, threshold=threshold)
    today = today or timezone.localdate()
    start, end = term.start_date, min(term.end_date, today)
    group_ids = {g.pk for g in groups}
    by_group = {g.pk: g for g in groups}
    placements = placements_overlapping(start, end).filter(group_id__in=group_ids)
    if child_id is not None:
        placements = placements.filter(child_id=child_id)
    placements = list(placements.select_related("child"))
    pupils: dict[int, PupilStats] = {}
    spans: dict[int, list[Placement]] = defaultdict(list)
    for p in placements:
        spans[p.child_id].append(p)
        pupils.setdefault(p.child_id, PupilStats(child=p.child, group=by_group[p.group_id]))
    weeks: dict[date, WeekBar] = {}
    if end >= start:
        lessons = school.lessons_for_groups(group_ids=group_ids)
        closed = school.closed_days_for(unit_ids={g.unit_id for g in groups}, start=start, end=end)
        minutes = {lesson.pk: lesson.minutes for lesson in lessons}
        held = [o for o in school.occurrences(lessons=lessons, start=start, end=end, closed=closed) if o.held]
        for occ in held:
            week = weeks.setdefault(
                monday_of(occ.day),
                WeekBar(monday=monday_of(occ.day), number=occ.day.isocalendar().week, scheduled=0, absent=0),
            )
            for child_id, mine in spans.items():
                if any(
                    p.group_id == occ.lesson.group_id
                    and p.start_date <= occ.day
                    and (p.end_date is None or p.end_date >= occ.day)
                    for p in mine
                ):
                    pupils[child_id].scheduled += occ.lesson.minutes
                    week.scheduled += occ.lesson.minutes
        rows = (
            LessonAttendance.objects.filter(
                lesson__group_id__in=group_ids, date__gte=start, date__lte=end, child_id__in=list(pupils)
            )
            .exclude(status=LessonAttendance.Status.PRESENT)
            .values_list("child_id", "lesson_id", "date", "status", "late_minutes", "valid")
        )
        for child_id, lesson_id, day, status, late, valid in rows:
            lost = minutes.get(lesson_id, 0) if status == LessonAttendance.Status.ABSENT else late
            if valid:
                pupils[child_id].valid += lost
            else:
                pupils[child_id].invalid += lost
            if monday_of(day) in weeks:
                weeks[monday_of(day)].absent += lost
    ordered = sorted(
        pupils.values(),
        key=lambda p: (-p.percent, p.child.given_name, p.child.family_name),
    )
    return Stats(term=term, pupils=ordered, weeks=[weeks[k] for k in sorted(weeks)], threshold=threshold)


@dataclass
class Chart:
    width: int
    height: int
    bars: list[dict]
    threshold_y: float


def week_chart(stats: Stats, *, width: int = 320, height: int = 140) -> Chart:
    """Bar geometry for the server-rendered SVG (no query)."""
    weeks = stats.weeks[-12:]
    top = max([w.percent for w in weeks] + [stats.threshold, 1])
    scale = (height - 24) / top
    step = width / max(len(weeks), 1)
    bars = []
    for i, w in enumerate(weeks):
        h = round(w.percent * scale, 1)
        bars.append(
            {
                "x": round(i * step + 4, 1),
                "y": round(height - 18 - h, 1),
                "w": round(step - 8, 1),
                "h": h,
                "label": f"v.{w.number}",
                "label_x": round(i * step + step / 2, 1),
                "week": w,
            }
        )
    threshold_y = round(height - 18 - stats.threshold * scale, 1)
    return Chart(width=width, height=height, bars=bars, threshold_y=threshold_y)
