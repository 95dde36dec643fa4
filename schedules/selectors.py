"""Reads for care schedules. Each loader states its query count; none grows with the
number of children, days or rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from config.statements import Statement, together
from roster.calendar import calendar_for, load_shared_calendar
from roster.dates import bounded, iso_week, monday_of, week_label
from roster.models import Child, ClosedPeriod, Placement, Unit, active_q
from roster.policy import placements_overlapping
from schedules.integrations import reported_absent_on
from schedules.models import (
    CARE_KINDS,
    DEFAULT_CLOSING,
    DEFAULT_OPENING,
    Attendance,
    BaseSchedule,
    DayComment,
    DayEntry,
    ScheduleState,
)

SLOT_MINUTES = 15
HUB_DAYS = 5

# --- The lock ------------------------------------------------------------------------------


def lock_last_day(today: date | None = None) -> date:
    """The last locked date: today + SKOLHUBB_SCHEDULE_LOCK_DAYS, in Stockholm local dates."""
    today = today or timezone.localdate()
    return today + timedelta(days=settings.SKOLHUBB_SCHEDULE_LOCK_DAYS)


def first_open_day(today: date | None = None) -> date:
    """The first date a guardian may register or change."""
    return lock_last_day(today) + timedelta(days=1)


def opening_monday(today: date | None = None) -> date:
    """Where a guardian's care-hours page opens: the locked week, with below it the first
    week they can still change (the week of the first open weekday after the lock)."""
    first = first_open_day(today)
    while first.weekday() >= 5:
        first += timedelta(days=1)
    return monday_of(first) - timedelta(days=7)


def is_locked(day: date, today: date | None = None) -> bool:
    """Locked for guardians: every date up to and including the last locked date (the past too)."""
    return day <= lock_last_day(today)


def weekdays(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


# --- Opening hours -------------------------------------------------------------------------


def unit_hours(unit: Unit) -> tuple[time, time]:
    """Needs `care_hours` selected with the unit (select_related) to run no query."""
    try:
        hours = unit.care_hours
    except Unit.care_hours.RelatedObjectDoesNotExist:
        return DEFAULT_OPENING, DEFAULT_CLOSING
    return hours.opening_time, hours.closing_time


# --- One day -------------------------------------------------------------------------------


@dataclass
class Day:
    date: date
    status: str  # times, ledig, stangt, missing, outside
    start: time | None = None
    end: time | None = None
    closed_label: str = ""
    locked: bool = False
    source: str = ""  # base or change
    entry: DayEntry | EntryRow | None = None  # an EntryRow in the Hub boxes' days (they read only the status)
    absent: bool = False
    comments: list[DayComment] = field(default_factory=list)
    attendance: Attendance | None = None
    placement: Placement | None = None

    @property
    def label(self) -> str:
        if self.status == "times":
            return f"{self.start:%H:%M}–{self.end:%H:%M}"
        return {
            "ledig": _("Ledig"),
            "stangt": _("Stängt"),
            "missing": _("Ej registrerat"),
            "outside": _("Ingen placering"),
        }[self.status]

    @property
    def expected(self) -> bool:
        return self.status == "times" and not self.absent

    @property
    def override(self) -> bool:
        return bool(self.entry and self.entry.override_reason)

    @property
    def week_label(self) -> str:
        return week_label(self.date)


def base_times(base: BaseSchedule | BaseRow, day: date) -> tuple[time, time] | None:
    """The base schedule's times on a weekday, or None for ledig. Two weeks rotate: the first
    is for odd ISO weeks, the second for even ones."""
    if day.weekday() >= 5:
        return None  # base schedules cover Monday to Friday; a weekend day is free
    week = base.weeks[1] if len(base.weeks) == 2 and iso_week(day) % 2 == 0 else base.weeks[0]
    entry = week[day.weekday()]
    if not entry:
        return None
    return time.fromisoformat(entry[0]), time.fromisoformat(entry[1])


class BaseRow(NamedTuple):
    """A base schedule as the day computation reads it (base_times): a plain row."""

    child_id: int
    start_date: date
    weeks: list


class EntryRow(NamedTuple):
    """A day entry as the day computation reads it (ScheduleData.day): a plain row."""

    child_id: int
    date: date
    kind: str
    start_time: time | None
    end_time: time | None
    absent: bool


class ScheduleData:
    """Everything needed to resolve the days of many children over a date range, loaded in
    bulk: care placements, base schedules, day entries, closed days, and optionally comments
    and attendance. Queries: 4, plus 1 each for comments and attendance, minus 1 for each of
    placements, bases and entries handed in (bases and entries as plain rows, BaseRow and
    EntryRow: the Hub boxes load them with their other rows in one query)."""

    def __init__(
        self,
        *,
        child_ids,
        start: date,
        end: date,
        placements: list[Placement] | None = None,
        bases: list[BaseRow] | None = None,
        entries: list[EntryRow] | None = None,
        with_comments: bool = False,
        with_attendance: bool = False,
        today: date | None = None,
    ):
        child_ids = list(child_ids)
        self.start, self.end = start, end
        self.today = today or timezone.localdate()
        if placements is None:
            placements = list(
                placements_overlapping(start, end)
                .filter(child_id__in=child_ids, unit__kind__in=CARE_KINDS)
                .select_related("unit__care_hours", "group")
                .order_by("start_date")
            )
        self.placements: dict[int, list[Placement]] = defaultdict(list)
        for placement in placements:
            self.placements[placement.child_id].append(placement)
        if bases is None:
            bases = BaseSchedule.objects.filter(child_id__in=child_ids, start_date__lte=end).order_by("start_date")
        else:
            bases = sorted(bases, key=lambda base: base.start_date)  # base_on takes the last that began
        self.bases: dict[int, list[BaseSchedule | BaseRow]] = defaultdict(list)
        for base in bases:
            self.bases[base.child_id].append(base)
        if entries is None:
            entries = DayEntry.objects.filter(child_id__in=child_ids, date__range=(start, end)).select_related(
                "changed_by"
            )
        self.entries: dict[tuple[int, date], DayEntry | EntryRow] = {(e.child_id, e.date): e for e in entries}
        # Care days: holidays and the units' closed days (lov does not close care).
        self.calendar = calendar_for(start=start, end=end, unit_ids={p.unit_id for p in placements}, with_terms=False)
        self.comments: dict[tuple[int, date], list[DayComment]] = defaultdict(list)
        if with_comments:
            for comment in DayComment.objects.filter(child_id__in=child_ids, date__range=(start, end)).select_related(
                "author"
            ):
                self.comments[(comment.child_id, comment.date)].append(comment)
        self.attendance: dict[tuple[int, date], Attendance] = {}
        if with_attendance:
            self.attendance = {
                (a.child_id, a.date): a
                for a in Attendance.objects.filter(child_id__in=child_ids, date__range=(start, end)).select_related(
                    "arrived_by", "left_by"
                )
            }

    def placement_on(self, child_id: int, day: date) -> Placement | None:
        for placement in self.placements.get(child_id, []):
            if placement.start_date <= day and (placement.end_date is None or placement.end_date >= day):
                return placement
        return None

    def base_on(self, child_id: int, day: date) -> BaseSchedule | BaseRow | None:
        found = None
        for base in self.bases.get(child_id, []):
            if base.start_date <= day:
                found = base
        return found

    def day(self, child_id: int, day: date) -> Day:
        key = (child_id, day)
        result = Day(
            date=day,
            status="missing",
            locked=is_locked(day, self.today),
            comments=self.comments.get(key, []),
            attendance=self.attendance.get(key),
        )
        placement = self.placement_on(child_id, day)
        result.placement = placement
        entry = self.entries.get(key)
        result.entry = entry
        result.absent = bool(entry and entry.absent)
        if placement is None:
            result.status = "outside"
            return result
        holiday = self.calendar.holiday(day)
        closure = self.calendar.closure(day, unit=placement.unit) if day.weekday() < 5 and not holiday else None
        if holiday or closure:
            result.status = "stangt"
            result.closed_label = holiday or closure.kind_label
            return result
        if entry and entry.kind == DayEntry.Kind.TIMES:
            result.status, result.start, result.end, result.source = "times", entry.start_time, entry.end_time, "change"
            return result
        if entry and entry.kind == DayEntry.Kind.LEDIG:
            result.status, result.source = "ledig", "change"
            return result
        base = self.base_on(child_id, day)
        if base is None:
            return result
        times = base_times(base, day)
        result.source = "base"
        if times is None:
            result.status = "ledig"
        else:
            result.status, (result.start, result.end) = "times", times
        return result


def schedule_version(*, child: Child) -> int:
    """One query."""
    return ScheduleState.objects.filter(child=child).values_list("version", flat=True).first() or 0


# --- The guardian's schedule page ----------------------------------------------------------


@dataclass
class Week:
    monday: date
    label: str
    days: list[Day]


def week_from_param(value: str | None, today: date | None = None) -> date:
    """'2026-W49' → that week's Monday; the current week otherwise."""
    today = today or timezone.localdate()
    if value:
        try:
            return bounded(date.fromisocalendar(int(value[:4]), int(value.split("W", 1)[1]), 1))
        except (ValueError, IndexError):
            pass
    return monday_of(today)


def week_param(monday: date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def child_weeks(*, child: Child, placements: list[Placement], monday: date, count: int = 2) -> list[Week]:
    """`count` weeks from `monday` for one child. Queries: 5 (bases, entries, closed days,
    comments, attendance); the placements are handed in."""
    end = monday + timedelta(days=7 * count - 1)
    data = ScheduleData(
        child_ids=[child.pk],
        start=monday,
        end=end,
        placements=placements,
        with_comments=True,
        with_attendance=True,
    )
    weeks = []
    for offset in range(count):
        start = monday + timedelta(days=7 * offset)
        days = [data.day(child.pk, d) for d in weekdays(start, start + timedelta(days=4))]
        weeks.append(Week(monday=start, label=week_label(start), days=days))
    return weeks


def base_latest(*, child: Child) -> BaseSchedule | None:
    """The child's newest base schedule (to fill the form with). One query."""
    return BaseSchedule.objects.filter(child=child).order_by("-start_date").first()


# --- Staff: day list, planning chart, check-in ---------------------------------------------


@dataclass
class Row:
    child: Child
    placement: Placement
    day: Day

    @property
    def not_arrived(self) -> bool:
        """Expected by now (the start time has passed) but not checked in."""
        if not self.day.expected or (self.day.attendance and self.day.attendance.arrived_at):
            return False
        now = timezone.localtime()
        return self.day.date < now.date() or (self.day.date == now.date() and self.day.start <= now.time())


def unit_placements(
    *,
    unit: Unit,
    start: date,
    end: date,
    group_id: int | None = None,
    reported_on: date | None = None,
    reported_days: list[date] = (),
) -> list[Placement]:
    """Placements in the unit overlapping [start, end], with child, group and hours. One query.
    With `reported_on`, each carries `reported_absent`: whether an absence report covers that
    day for the child (a subquery in the same query). With `reported_days`, each carries
    `reported_absent_days`: the set of those days a report covers (one subquery per day, in
    the same query)."""
    qs = (
        placements_overlapping(start, end)
        .filter(unit=unit)
        .select_related("child", "group", "unit__care_hours")
        .order_by("child__given_name", "child__family_name", "pk")
    )
    if group_id:
        qs = qs.filter(group_id=group_id)
    if reported_on is not None:
        qs = qs.annotate(reported_absent=reported_absent_on(reported_on))
    names = {f"reported_{d:%Y%m%d}": d for d in reported_days}
    if names:
        qs = qs.annotate(**{name: reported_absent_on(d) for name, d in names.items()})
    placements = list(qs)
    if names:
        for placement in placements:
            placement.reported_absent_days = {d for name, d in names.items() if getattr(placement, name)}
    return placements


def unit_day_rows(*, unit: Unit, day: date, group_id: int | None = None) -> list[Row]:
    """Every child placed in the unit (or group) on `day`. Queries: 6 (placements, bases,
    entries, closed days, comments, attendance)."""
    placements = [
        p
        for p in unit_placements(unit=unit, start=day, end=day, group_id=group_id, reported_on=day)
        if p.is_active(on=day)
    ]
    data = ScheduleData(
        child_ids=[p.child_id for p in placements],
        start=day,
        end=day,
        placements=placements,
        with_comments=True,
        with_attendance=True,
    )
    rows = [Row(child=p.child, placement=p, day=data.day(p.child_id, day)) for p in placements]
    if apps.is_installed("absence"):
        # Absent means what the Hub's Frånvaro and Omsorgstider boxes count: a report covering
        # the day (absence.selectors.reports_covering), also one made or removed in the admin
        # without touching the day's mark. The check-in tablet then never shows a child reported
        # sick as "Inte kommit".
        for row in rows:
            row.day.absent = row.placement.reported_absent
    order = {"times": 0, "missing": 1, "ledig": 2, "stangt": 3, "outside": 4}
    rows.sort(key=lambda r: (r.day.absent, order[r.day.status], r.day.start or time.max, r.child.given_name))
    return rows


def rows_valid_until(rows: list[Row]) -> float | None:
    """When a cached check-in list goes out of date by the clock alone: the next start time
    today of a child expected and not checked in (from then on it shows "Inte kommit").
    A timestamp, or None when no such moment is ahead."""
    now = timezone.localtime()
    ahead = [
        r.day.start
        for r in rows
        if r.day.date == now.date()
        and r.day.expected
        and not (r.day.attendance and r.day.attendance.arrived_at)
        and r.day.start > now.time()
    ]
    if not ahead:
        return None
    return datetime.combine(now.date(), min(ahead), tzinfo=now.tzinfo).timestamp()


@dataclass
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass
class Chart:
    bars: list[Bar]
    max_count: int
    width: int
    height: int
    ticks: list[tuple[float, str]]
    top_y: int = 0

    @property
    def base_y(self) -> int:
        return self.height - 24


def _chart(labels_counts: list[tuple[str, int]], *, width: int, height: int, every: int) -> Chart:
    top = max((c for _label, c in labels_counts), default=0)
    scale_max = max(top, 1)
    top_pad = 18  # room for the count labels above the bars
    inner_h = height - 24 - top_pad
    slot_w = width / max(len(labels_counts), 1)
    bars, ticks = [], []
    for index, (label, count) in enumerate(labels_counts):
        h = round(inner_h * count / scale_max, 1)
        bars.append(
            Bar(
                label=label,
                count=count,
                x=round(index * slot_w + 1, 1),
                y=round(top_pad + inner_h - h, 1),
                width=round(max(slot_w - 2, 1), 1),
                height=h,
            )
        )
        if index % every == 0:
            ticks.append((round(index * slot_w + 1, 1), label))
    return Chart(bars=bars, max_count=top, width=width, height=height, ticks=ticks, top_y=top_pad)


@dataclass
class Planning:
    day: date
    slots: list[tuple[str, int]]
    chart: Chart
    week: list[tuple[date, int]]
    week_chart: Chart
    opening: time
    closing: time


def unit_planning(*, unit: Unit, day: date, group_id: int | None = None) -> Planning:
    """Children expected per 15 minutes on `day`, and per day in its week. Queries: 5
    (placements with the absence reports of each day, bases, entries, closed days, unit hours).

    Absent means what the day list and check-in say (unit_day_rows): an absence report
    covering the day, also one made or removed in the admin without touching the day's mark."""
    monday = monday_of(day)
    friday = monday + timedelta(days=4)
    sunday = monday + timedelta(days=6)  # the day asked for may be a weekend day: load the whole week
    shown = sorted({*weekdays(monday, friday), day})
    placements = unit_placements(unit=unit, start=monday, end=sunday, group_id=group_id, reported_days=shown)
    data = ScheduleData(child_ids=[p.child_id for p in placements], start=monday, end=sunday, placements=placements)
    opening, closing = unit_hours(Unit.objects.select_related("care_hours").get(pk=unit.pk))
    child_ids = sorted({p.child_id for p in placements})
    reported: dict[int, set[date]] | None = None
    if apps.is_installed("absence"):
        reported = defaultdict(set)
        for placement in placements:
            reported[placement.child_id] |= placement.reported_absent_days

    def day_of(child_id: int, on: date) -> Day:
        result = data.day(child_id, on)
        if reported is not None:
            result.absent = on in reported[child_id]
        return result

    today_days = [day_of(cid, day) for cid in child_ids]
    slots = []
    cursor = datetime.combine(day, opening)
    stop = datetime.combine(day, closing)
    while cursor < stop:
        slot_start = cursor.time()
        slot_end = (cursor + timedelta(minutes=SLOT_MINUTES)).time()
        count = sum(1 for d in today_days if d.expected and d.start < slot_end and d.end > slot_start)
        slots.append((f"{slot_start:%H:%M}", count))
        cursor += timedelta(minutes=SLOT_MINUTES)
    week = [(d, sum(1 for cid in child_ids if day_of(cid, d).expected)) for d in weekdays(monday, friday)]
    chart = _chart(slots, width=720, height=220, every=4)
    week_chart = _chart([(formats.date_format(d, "D"), c) for d, c in week], width=360, height=220, every=1)
    return Planning(
        day=day, slots=slots, chart=chart, week=week, week_chart=week_chart, opening=opening, closing=closing
    )


def closed_days_for_unit(*, unit: Unit, start: date) -> list[ClosedPeriod]:
    """One query: the unit's own closed days from `start` on (lov and municipality-wide
    closures are managed in the admin)."""
    return list(
        ClosedPeriod.objects.filter(unit=unit, end_date__gte=start)
        .exclude(kind__in=ClosedPeriod.LOV_KINDS)
        .order_by("start_date")
    )


# --- The Hub box ---------------------------------------------------------------------------


def _box_day(day: Day) -> dict:
    """A Day as plain data for the cached Hub box."""
    return {
        "date": day.date,
        "status": day.status,
        "label": str(day.label),
        "absent": day.absent,
        "locked": day.locked,
    }


def _hub_rows_query(
    *,
    child_ids: list[int] | None = None,
    placed_in: list[int] | None = None,
    start: date,
    end: date,
    by_staff: bool,
    comments_from: date | None,
):
    """For the Hub boxes, one UNION ALL of three shapes, each row tagged: "b" a base schedule
    that began by `end`, "e" a day entry in [start, end], "u" a child's number of unread
    comments from the other side (staff's when `by_staff`, else guardians'; from
    `comments_from` on when given). Columns: tag, child, date, weeks, kind, start, end,
    absent, count; a shape's unused ones are NULL. The first branch's columns type them all
    (its converters turn times and booleans back into such on SQLite too). The children:
    `child_ids`, or those placed on `start` in the units `placed_in`, found by the database
    (config.sql.InRows), so that the placements need not reach the web process first."""
    from django.db.models import BooleanField, CharField, DateField, F, IntegerField, Q, Subquery, TimeField, Value
    from django.db.models.functions import Cast

    from config.sql import InRows

    if placed_in is None:
        of_children = Q(child_id__in=child_ids)
    else:
        placed = Placement.objects.filter(active_q(on=start), unit_id__in=placed_in).order_by().values("child_id")
        of_children = InRows(F("child_id"), Subquery(placed))

    def text(value: str | None):
        return Value(value, output_field=CharField())

    # A JSONField's None would be JSON null, not SQL NULL: the other branches' weeks are text.
    no_text = text(None)
    no_time = Value(None, output_field=TimeField())
    no_bool = Value(None, output_field=BooleanField())
    # Cast: PostgreSQL types a column that is NULL in the first two branches as text, and text
    # does not unite with the third's count.
    no_count = Cast(Value(None, output_field=IntegerField()), IntegerField())
    bases = (
        BaseSchedule.objects.filter(of_children, start_date__lte=end)
        .order_by()
        .values_list(text("b"), "child_id", "start_date", "weeks", no_text, no_time, no_time, no_bool, no_count)
    )
    entries = (
        DayEntry.objects.filter(of_children, date__range=(start, end))
        .order_by()
        .values_list(text("e"), "child_id", "date", no_text, "kind", "start_time", "end_time", "absent", no_count)
    )
    comments = DayComment.objects.filter(of_children, by_staff=by_staff, read_at__isnull=True)
    if comments_from is not None:
        comments = comments.filter(date__gte=comments_from)
    no_date = Value(None, output_field=DateField())
    unread = (
        comments.order_by()
        .values("child_id")
        .annotate(n=Count("pk"))
        .values_list(text("u"), "child_id", no_date, no_text, no_text, no_time, no_time, no_bool, "n")
    )
    return bases.union(entries, unread, all=True).order_by()


_HUB_ROWS = Statement(_hub_rows_query)


def _hub_rows(
    *,
    child_ids: list[int] | None = None,
    placed_in: list[int] | None = None,
    start: date,
    end: date,
    by_staff: bool,
    comments_from: date | None = None,
) -> tuple[list[BaseRow], list[EntryRow], dict[int, int]]:
    """One query (_hub_rows_query), built and compiled once per shape (config.statements):
    the base schedules and day entries for ScheduleData, and the unread comments per child,
    of `child_ids` or of the children placed in the units `placed_in` on `start`."""
    children = {"child_ids": child_ids} if placed_in is None else {"placed_in": placed_in}
    rows = _HUB_ROWS(**children, start=start, end=end, by_staff=by_staff, comments_from=comments_from)
    bases = [BaseRow(cid, on, weeks) for tag, cid, on, weeks, *_rest in rows if tag == "b"]
    entries = [EntryRow(cid, on, *day) for tag, cid, on, _weeks, *day, _n in rows if tag == "e"]
    unread = {cid: n for tag, cid, *_rest, n in rows if tag == "u"}
    return bases, entries, unread


def hub_days_for_children(*, viewer, children: list[Child]) -> dict[int, dict[str, dict]]:
    """Next school days per child in care, keyed by unit kind, as plain data (the same
    whoever looks). Queries: 1 (bases, entries and unread comment counts in one, _hub_rows),
    plus the closed days (none inside the Hub once its shared calendar is loaded), whatever
    the number of children; the placements come with the children. Computed once per
    request for both schedule boxes."""
    cached = getattr(viewer, "_schedules_hub", None)
    if cached is not None:
        return cached
    today = timezone.localdate()
    # All the viewer's children at once, so that both boxes share the load.
    everyone = {c.pk: c for c in [*viewer.children, *children]}
    placements = [p for c in everyone.values() for p in c.active_placements if p.unit.kind in CARE_KINDS]
    if not placements:
        viewer._schedules_hub = {}
        return viewer._schedules_hub
    days = weekdays(today, today + timedelta(days=9))[:HUB_DAYS]
    child_ids = sorted({p.child_id for p in placements})
    # The closed days are asked with the rows (in the Hub: one round trip for both).
    (bases, entries, unread), _ = together(
        [lambda: _hub_rows(child_ids=child_ids, start=days[0], end=days[-1], by_staff=True), load_shared_calendar]
    )
    data = ScheduleData(
        child_ids=child_ids,
        start=days[0],
        end=days[-1],
        placements=placements,
        bases=bases,
        entries=entries,
        today=today,
    )
    result: dict[int, dict[str, dict]] = defaultdict(dict)
    for placement in placements:
        result[placement.child_id][placement.unit.kind] = {
            "child_id": placement.child_id,
            "days": [_box_day(data.day(placement.child_id, d)) for d in days],
            "unread": unread.get(placement.child_id, 0),
            "unit_name": placement.unit.name,
        }
    viewer._schedules_hub = dict(result)
    return viewer._schedules_hub


def _unit_placements_query(*, unit_ids: list[int], today: date):
    return (
        Placement.objects.filter(active_q(on=today), unit_id__in=unit_ids)
        .annotate(reported_absent=reported_absent_on(today))
        .order_by()
        .values_list("child_id", "unit_id", "group_id", "start_date", "end_date", "reported_absent")
    )


_UNIT_PLACEMENTS = Statement(_unit_placements_query)


class _UnitPlacement(NamedTuple):
    """What a unit's care summary reads of a placement (ScheduleData takes it as a
    Placement): no model instance per placed child (a principal's units place dozens, and
    building each instance cost more than the rest of the summary)."""

    child_id: int
    unit_id: int
    group_id: int | None
    start_date: date
    end_date: date | None
    reported_absent: bool
    unit: Unit


def _unit_placements(units: list[Unit], today: date) -> list[_UnitPlacement]:
    """The placements active today in these units, each with its unit (the one handed in)
    and `reported_absent` (reported_absent_on): one statement, no model query per row."""
    by_pk = {u.pk: u for u in units}
    return [_UnitPlacement(*row, by_pk[row[1]]) for row in _UNIT_PLACEMENTS(unit_ids=sorted(by_pk), today=today)]


def hub_units_summary(*, viewer, units: list[Unit]) -> dict[int, dict]:
    """For staff: per care unit, today's expected children, those without a schedule, the
    absent, and unread guardian comments, as plain data (the same for all staff of the
    unit). Queries: 2 (placements; bases, entries and unread comments in one, _hub_rows, asked
    by the units beside them: one round trip), plus the closed days (none inside the Hub once
    its shared calendar is loaded), whatever the number of units or children. Computed once
    per request for both schedule boxes.

    Absent means what the Frånvaro box counts: a child placed here with an absence report
    covering today (schedules/integrations.py), whether or not the report has reached the
    child's day entry (a report made in the admin, or before the placement began, has not).
    An absent child is not expected, even with times today."""
    cached = getattr(viewer, "_schedules_hub_units", None)
    if cached is not None:
        return cached
    care_units = [u for u in viewer.staff_units if u.kind in CARE_KINDS]
    if viewer.is_superuser:
        care_units = [u for u in units if u.kind in CARE_KINDS]
    result: dict[int, dict] = {}
    if care_units:
        today = timezone.localdate()
        # Side by side (config.statements.together): the rows are asked by the units, not by
        # the placements' ids, so the box waits for the database once, not twice.
        placements, (bases, entries, unread) = together(
            [
                lambda: _unit_placements(care_units, today),
                lambda: _hub_rows(
                    placed_in=sorted(u.pk for u in care_units),
                    start=today,
                    end=today,
                    by_staff=False,
                    comments_from=today,
                ),
            ]
        )
        child_ids = sorted({p.child_id for p in placements})
        data = ScheduleData(
            child_ids=child_ids,
            start=today,
            end=today,
            placements=placements,
            bases=bases,
            entries=entries,
            today=today,
        )
        unread_children = set(unread)
        with_absence_app = apps.is_installed("absence")
        for unit in care_units:
            days = [
                (p.child_id, data.day(p.child_id, today), p.reported_absent if with_absence_app else None)
                for p in placements
                if p.unit_id == unit.pk
            ]
            absent = {cid for cid, d, reported in days if (d.absent if reported is None else reported)}
            result[unit.pk] = {
                "unit": {"id": unit.pk, "name": unit.name},
                "day": today,
                "expected": sum(1 for cid, d, _r in days if d.status == "times" and cid not in absent),
                "missing": sum(1 for cid, d, _r in days if d.status == "missing" and cid not in absent),
                "absent": len(absent),
                "unread": sum(1 for cid, _d, _r in days if cid in unread_children),
            }
    viewer._schedules_hub_units = result
    return result


# --- Reminders -----------------------------------------------------------------------------


def reminder_window(today: date | None = None) -> tuple[date, date]:
    """The two weeks after the lock."""
    start = first_open_day(today)
    return start, start + timedelta(days=13)


def children_missing_registration(*, child_ids=None, today: date | None = None) -> dict[int, list[date]]:
    """Care children with unregistered days in the reminder window. Queries: 4."""
    today = today or timezone.localdate()
    start, end = reminder_window(today)
    placements = list(
        placements_overlapping(start, end)
        .filter(unit__kind__in=CARE_KINDS)
        .filter(**({"child_id__in": list(child_ids)} if child_ids is not None else {}))
        .select_related("unit")
    )
    ids = {p.child_id for p in placements}
    data = ScheduleData(child_ids=ids, start=start, end=end, placements=placements, today=today)
    missing: dict[int, list[date]] = {}
    for child_id in ids:
        gaps = [d for d in weekdays(start, end) if data.day(child_id, d).status == "missing"]
        if gaps:
            missing[child_id] = gaps
    return missing


def guardians_of(child_ids, on: date | None = None) -> dict[int, list[int]]:
    """guardian id → child ids (active guardianships). One query."""
    from roster.models import Guardianship

    result: dict[int, list[int]] = defaultdict(list)
    for guardian_id, child_id in Guardianship.objects.filter(active_q(on=on), child_id__in=list(child_ids)).values_list(
        "guardian_id", "child_id"
    ):
        result[guardian_id].append(child_id)
    return dict(result)
