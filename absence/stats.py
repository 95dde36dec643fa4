"""Absence statistics: absence as a share of scheduled lesson time, per pupil and term.

Counted from the lesson registrations: 'frånvarande' counts the whole lesson, 'sen' the
minutes late. Scheduled time is every held lesson from the term's start to today (or the
term's end) on the days the pupil was placed in the group.

Five queries for any number of groups, pupils and days: placements, lessons (plain rows),
closed days, and two grouped sums over the registrations (per pupil, per week) that the
database computes. The Python work is per group and school day (the held minutes, prefix
sums) plus per pupil, never per lesson × pupil, so a unit costs the same on 1 September as
on 10 June.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, F, IntegerField, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractHour, ExtractMinute, TruncWeek
from django.utils import timezone

from absence.models import LessonAttendance
from roster.dates import monday_of
from roster.models import Child, Group, Placement, Term
from roster.policy import placements_overlapping
from school import selectors as school
from school.models import Lesson


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
        minutes_by_day = _held_minutes(groups=groups, start=start, end=end)
        days = sorted({d for per_group in minutes_by_day.values() for d in per_group})
        for day in days:
            monday = monday_of(day)
            weeks.setdefault(monday, WeekBar(monday=monday, number=day.isocalendar().week, scheduled=0, absent=0))
        # Per group: its held days in order, prefix sums of their minutes, and how many of the
        # pupils are placed on each (a difference array): O(days + pupils), no pupil × day loop.
        per_group = {}
        for group_id, held in minutes_by_day.items():
            ordered_days = sorted(held)
            prefix = [0]
            for day in ordered_days:
                prefix.append(prefix[-1] + held[day])
            per_group[group_id] = (ordered_days, prefix, [0] * (len(ordered_days) + 1))
        for child_id, mine in spans.items():
            for p in mine:
                if p.group_id not in per_group:
                    continue
                ordered_days, prefix, placed = per_group[p.group_id]
                i = bisect_left(ordered_days, max(p.start_date, start))
                j = bisect_right(ordered_days, min(p.end_date or end, end))
                if i < j:
                    pupils[child_id].scheduled += prefix[j] - prefix[i]
                    placed[i] += 1
                    placed[j] -= 1
        for group_id, (ordered_days, _prefix, placed) in per_group.items():
            count = 0
            for index, day in enumerate(ordered_days):
                count += placed[index]
                weeks[monday_of(day)].scheduled += count * minutes_by_day[group_id][day]
        absences = LessonAttendance.objects.filter(
            lesson__group_id__in=group_ids, date__gte=start, date__lte=end, child_id__in=list(pupils)
        ).exclude(status=LessonAttendance.Status.PRESENT)
        lost = Sum(_lost_minutes())
        for row in absences.values("child_id", "valid").annotate(lost=lost).order_by():
            if row["valid"]:
                pupils[row["child_id"]].valid += row["lost"] or 0
            else:
                pupils[row["child_id"]].invalid += row["lost"] or 0
        for row in absences.annotate(week=TruncWeek("date")).values("week").annotate(lost=lost).order_by():
            monday = row["week"].date() if hasattr(row["week"], "date") else row["week"]
            if monday in weeks:
                weeks[monday].absent += row["lost"] or 0
    ordered = sorted(
        pupils.values(),
        key=lambda p: (-p.percent, p.child.given_name, p.child.family_name),
    )
    return Stats(term=term, pupils=ordered, weeks=[weeks[k] for k in sorted(weeks)], threshold=threshold)


def _minutes_of(field: str):
    return ExtractHour(field) * 60 + ExtractMinute(field)


def _lost_minutes():
    """Per registration, in the database: the whole lesson when absent, else the minutes late."""
    return Case(
        When(
            status=LessonAttendance.Status.ABSENT,
            then=_minutes_of("lesson__end_time") - _minutes_of("lesson__start_time"),
        ),
        default=Coalesce(F("late_minutes"), Value(0)),
        output_field=IntegerField(),
    )


def _held_minutes(*, groups: list[Group], start: date, end: date) -> dict[int, dict[date, int]]:
    """Two queries (lessons, closed days): per group and day in [start, end], the minutes of
    lessons held. Work per group × school day, not per lesson occurrence × pupil."""
    group_ids = {g.pk for g in groups}
    unit_of = {g.pk: g.unit_id for g in groups}
    lessons = list(
        Lesson.objects.filter(group_id__in=group_ids).values(
            "group_id", "weekday", "start_time", "end_time", "term__start_date", "term__end_date"
        )
    )
    by_group_weekday: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for row in lessons:
        row["minutes"] = (row["end_time"].hour * 60 + row["end_time"].minute) - (
            row["start_time"].hour * 60 + row["start_time"].minute
        )
        by_group_weekday[(row["group_id"], row["weekday"])].append(row)
    closed = school.closed_days_for(unit_ids=set(unit_of.values()), start=start, end=end)
    result: dict[int, dict[date, int]] = defaultdict(dict)
    day = start
    while day <= end:
        if day.weekday() < 5:
            for group_id in group_ids:
                todays = by_group_weekday.get((group_id, day.weekday()))
                if not todays or closed.reason(day=day, unit_id=unit_of[group_id], group_id=group_id):
                    continue
                held = sum(
                    r["minutes"]
                    for r in todays
                    if r["term__start_date"] is None or r["term__start_date"] <= day <= r["term__end_date"]
                )
                if held:
                    result[group_id][day] = held
        day += timedelta(days=1)
    return result


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
