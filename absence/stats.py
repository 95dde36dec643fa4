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
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import takewhile

from django.conf import settings
from django.db.models import Case, F, IntegerField, Sum, Value, When
from django.db.models.functions import Coalesce, ExtractHour, ExtractMinute, TruncWeek
from django.utils import timezone, translation

from absence.models import LessonAttendance
from roster.dates import monday_of
from roster.models import Group, Term
from roster.policy import placements_overlapping
from school import selectors as school
from school.models import Lesson


def _share(minutes: int, scheduled: int) -> float:
    return round(100 * minutes / scheduled, 1) if scheduled else 0.0


class _Shares:
    """Shares of scheduled time for anything with `scheduled`, `valid` and `invalid` minutes."""

    __slots__ = ()

    @property
    def absent(self) -> int:
        return self.valid + self.invalid

    @property
    def percent(self) -> float:
        return _share(self.absent, self.scheduled)

    @property
    def valid_percent(self) -> float:
        return _share(self.valid, self.scheduled)

    @property
    def invalid_percent(self) -> float:
        return _share(self.invalid, self.scheduled)

    @property
    def over_threshold(self) -> bool:
        return self.percent > settings.SKOLHUBB_ABSENCE_THRESHOLD_PERCENT


@dataclass(slots=True)
class PupilStats(_Shares):
    """One pupil's term, as plain data (no model instance): the pages list a page of these,
    the CSV all of them."""

    child_id: int
    given_name: str
    family_name: str
    group_id: int
    group_name: str
    scheduled: int = 0  # minutes
    valid: int = 0
    invalid: int = 0

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"


@dataclass(slots=True)
class GroupSummary(_Shares):
    """A class or teaching group on the unit page: its pupils' scheduled and lost minutes
    summed over their placements in the group, and how many of them are over the threshold."""

    group_id: int
    name: str
    pupils: int = 0
    over: int = 0
    scheduled: int = 0
    valid: int = 0
    invalid: int = 0


@dataclass
class WeekBar:
    monday: date
    number: int
    scheduled: int
    absent: int

    @property
    def percent(self) -> float:
        return _share(self.absent, self.scheduled)


@dataclass
class Stats:
    term: Term | None
    pupils: list[PupilStats] = field(default_factory=list)
    weeks: list[WeekBar] = field(default_factory=list)
    groups: list[GroupSummary] = field(default_factory=list)
    threshold: int = 10

    @property
    def over(self) -> int:
        return sum(p.over_threshold for p in self.pupils)

    @property
    def scheduled(self) -> int:
        return sum(w.scheduled for w in self.weeks)

    @property
    def percent(self) -> float:
        return _share(sum(w.absent for w in self.weeks), self.scheduled)


def current_term(today: date | None = None) -> Term | None:
    """One query: the term covering today, else the latest one that has started."""
    today = today or timezone.localdate()
    return Term.objects.filter(start_date__lte=today).order_by("-start_date").first()


def terms_all() -> list[Term]:
    return list(Term.objects.order_by("-start_date")[:6])


def stats_for_groups(
    *, groups: list[Group], term: Term | None, today: date | None = None, child_id: int | None = None
) -> Stats:
    """Every pupil of the groups, or only `child_id` (a guardian's or student's own view),
    sorted by absence share, largest first; and a summary per group."""
    threshold = settings.SKOLHUBB_ABSENCE_THRESHOLD_PERCENT
    if term is None or not groups:
        return Stats(term=term, threshold=threshold)
    today = today or timezone.localdate()
    start, end = term.start_date, min(term.end_date, today)
    group_ids = {g.pk for g in groups}
    summaries = {g.pk: GroupSummary(group_id=g.pk, name=g.name) for g in groups}
    in_groups = placements_overlapping(start, end).filter(group_id__in=group_ids)
    if child_id is not None:
        in_groups = in_groups.filter(child_id=child_id)
    # Plain rows, oldest placement first (a pupil is listed under the group they came to first).
    placements = in_groups.order_by("start_date", "pk").values_list(
        "child_id", "group_id", "start_date", "end_date", "child__given_name", "child__family_name"
    )
    pupils: dict[int, PupilStats] = {}
    spans: list[tuple[int, int, date, date | None]] = []
    members: dict[int, set[int]] = defaultdict(set)
    for pupil_id, group_id, p_start, p_end, given, family in placements:
        spans.append((pupil_id, group_id, p_start, p_end))
        members[group_id].add(pupil_id)
        if pupil_id not in pupils:
            pupils[pupil_id] = PupilStats(pupil_id, given, family, group_id, summaries[group_id].name)
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
        for pupil_id, group_id, p_start, p_end in spans:
            if group_id not in per_group:
                continue
            ordered_days, prefix, placed = per_group[group_id]
            i = bisect_left(ordered_days, max(p_start, start))
            j = bisect_right(ordered_days, min(p_end or end, end))
            if i < j:
                minutes = prefix[j] - prefix[i]
                pupils[pupil_id].scheduled += minutes
                summaries[group_id].scheduled += minutes
                placed[i] += 1
                placed[j] -= 1
        for group_id, (ordered_days, _prefix, placed) in per_group.items():
            count = 0
            for index, day in enumerate(ordered_days):
                count += placed[index]
                weeks[monday_of(day)].scheduled += count * minutes_by_day[group_id][day]
        absences = LessonAttendance.objects.filter(
            # The pupils as a subquery: 440 ids as parameters cost more to send than to look up.
            lesson__group_id__in=group_ids,
            date__gte=start,
            date__lte=end,
            child_id__in=in_groups.values("child_id"),
        ).exclude(status=LessonAttendance.Status.PRESENT)
        lost = Sum(_lost_minutes())
        rows = absences.values_list("child_id", "lesson__group_id", "valid").annotate(lost=lost).order_by()
        for pupil_id, group_id, valid, minutes in rows:
            minutes = minutes or 0
            if valid:
                pupils[pupil_id].valid += minutes
                summaries[group_id].valid += minutes
            else:
                pupils[pupil_id].invalid += minutes
                summaries[group_id].invalid += minutes
        for week, minutes in (
            absences.annotate(week=TruncWeek("date")).values_list("week").annotate(lost=lost).order_by()
        ):
            monday = week.date() if hasattr(week, "date") else week
            if monday in weeks:
                weeks[monday].absent += minutes or 0
    ordered = sorted(pupils.values(), key=lambda p: (-p.percent, p.given_name, p.family_name))
    over = {p.child_id for p in ordered if p.percent > threshold}
    for group_id, ids in members.items():
        summaries[group_id].pupils = len(ids)
        summaries[group_id].over = len(ids & over)
    return Stats(
        term=term,
        pupils=ordered,
        weeks=[weeks[k] for k in sorted(weeks)],
        groups=sorted((s for s in summaries.values() if s.pupils), key=lambda s: _group_order(s.name)),
        threshold=threshold,
    )


# --- The cached statistics -------------------------------------------------------------------
#
# A statistics page is the same for everyone who may open it, all day until a registration,
# placement, closed day, lesson or term changes: cached per scope (a unit, or a group) and
# term under the unit's generations (absence/cache.py).


def stats_cached(*, scope: str, unit_id: int, groups, term: Term | None, today: date | None = None) -> Stats:
    """The statistics of `scope` ("u<unit id>" or "g<group id>", whose groups are in unit
    `unit_id`): one cache round trip when warm (the generations and the entry together), no
    query; cold, `groups()` (a callable, so a warm read runs no group query) and the five
    statistics queries. Without a cache, computed every time."""
    from absence import cache
    from config.replica import primary

    today = today or timezone.localdate()
    if term is None:
        return Stats(term=None, threshold=settings.SKOLHUBB_ABSENCE_THRESHOLD_PERCENT)
    slot = f"absence:stats:{scope}:t{term.pk}"
    stamp, result = cache.read(keys=cache.keys_for_unit(unit_id), slot=slot, today=today)
    if result is not None:
        result.term = term  # the caller's (the same row: a changed term bumps everything)
        return result
    with primary():
        result = stats_for_groups(groups=groups(), term=term, today=today)
    cache.store(slot=slot, stamp=stamp, value=replace(result, term=None))
    return result


def page_cached(*, scope: str, unit_id: int, groups, term: Term | None, page: str, build) -> str:
    """The rendered content of a statistics page: the same for everyone who may open it (no
    request, CSRF token or person in it), so it is kept per scope, term, page and language
    under the same generations as the figures. Warm: one cache round trip, no query.
    `build(stats)` renders it; `page` is the page number as asked for (its own entry, so a
    page past the end is stored once per number asked, at most views.MAX_PAGE of them)."""
    from absence import cache

    today = timezone.localdate()
    slot = f"absence:statspage:{scope}:t{term.pk if term else 0}:p{page}:{translation.get_language()}"
    stamp, html = cache.read(keys=cache.keys_for_unit(unit_id), slot=slot, today=today)
    if html is not None:
        return html
    html = build(stats_cached(scope=scope, unit_id=unit_id, groups=groups, term=term, today=today))
    cache.store(slot=slot, stamp=stamp, value=str(html))
    return html


def _group_order(name: str) -> tuple:
    """1A, 2B, …, 10A in school order, not 10A before 1A."""
    digits = "".join(takewhile(str.isdigit, name))
    return (int(digits) if digits else 99, name)


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
