"""The school day: the one answer to "is this date a school day / care day for this unit".

A school day (grundskola) is a weekday that is not a Swedish public holiday (or one of the
eves everyone treats as one), falls inside a term (when terms are set up around the date),
is not in a lov and is not one of the unit's closed days (studiedag, planeringsdag).
A care day (förskola, fritidshem) is a weekday that is not a holiday and not one of the
unit's closed days: lov and the summer between terms do not close care.

Closed days and lov are stored once, in `roster.models.ClosedPeriod`. Everything else
(absence, schedules, the timetable, the Hub's Kalender) asks this module.

    cal = calendar_for(unit_ids=[unit.pk], start=monday, end=friday)   # 2 queries
    cal.is_open(day, unit=unit)            # no query
    cal.closed_reason(day, unit=unit)      # "Julafton", "Studiedag", "Jullov", "Helg" or None
    cal.open_days(start, end, unit=unit)   # the open dates in a range

A page that asks many times (the Hub: the Frånvaro, care, lessons and Kalender boxes each
ask) loads the calendar once for all of them:

    with shared_calendar(unit_ids=unit_ids, start=monday, end=monday + timedelta(days=60)):
        ...   # calendar_for inside this range and these units: no query after the first
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from config.statements import Pending, Statement, ask
from roster.dates import swedish_holidays
from roster.models import ClosedPeriod, Term, Unit

# A school with no term around a date has no terms set up (a new installation, a test that
# made none): then terms do not limit its school days.
_TERM_HORIZON = timedelta(days=400)


@dataclass(frozen=True)
class Lov:
    """A lov period, as plain data (the holiday-care survey reads these)."""

    kind: str
    label: str
    start: date
    end: date
    unit_id: int | None


@dataclass(frozen=True)
class Closure:
    """One stored closed period, as plain data."""

    pk: int
    kind: str
    label: str
    description: str
    start: date
    end: date
    unit_id: int | None
    group_id: int | None

    @property
    def is_lov(self) -> bool:
        return self.kind in ClosedPeriod.LOV_KINDS

    @property
    def kind_label(self) -> str:
        return str(ClosedPeriod.Kind(self.kind).label)

    def applies_to(self, *, unit_id: int | None, unit_kind: str | None, group_id: int | None = None) -> bool:
        if self.unit_id is not None and self.unit_id != unit_id:
            return False
        if self.group_id is not None and self.group_id != group_id:
            return False
        if self.is_lov:
            # Lov closes schools; förskola and fritidshem are open for care.
            return unit_kind in (None, Unit.Kind.GRUNDSKOLA)
        return True


# A closed period as plain columns, in the order `_closure_of` takes them.
_CLOSURE_COLUMNS = ("id", "kind", "title", "description", "start_date", "end_date", "unit_id", "group_id")


def _closure_of(pk, kind, title, description, start, end, unit_id, group_id) -> Closure:
    return Closure(
        pk=pk,
        kind=kind,
        label=ClosedPeriod.label_of(title=title, kind=kind),
        description=description,
        start=start,
        end=end,
        unit_id=unit_id,
        group_id=group_id,
    )


class SchoolCalendar:
    """The school-day answers for a date range, loaded once (see `calendar_for`). Asking
    about a day outside the range it was loaded for raises ValueError rather than answering
    wrongly."""

    def __init__(self, *, start: date, end: date, closures: list[Closure], terms: list[tuple[date, date]] | None):
        self.start, self.end = start, end
        self.holidays = swedish_holidays(start, end)
        self.closures = closures
        self.terms = terms

    def _check(self, day: date) -> None:
        if not (self.start <= day <= self.end):
            raise ValueError(f"{day} is outside the loaded range {self.start}–{self.end}")

    def holiday(self, day: date) -> str | None:
        self._check(day)
        return self.holidays.get(day)

    def in_term(self, day: date) -> bool:
        # None: loaded without terms (the caller checks terms itself, or asks about care).
        return self.terms is None or not self.terms or any(s <= day <= e for s, e in self.terms)

    def closure(self, day: date, *, unit: Unit | None = None, group_id: int | None = None) -> Closure | None:
        """The stored closed period (studiedag, planeringsdag, lov) covering `day` for this
        unit (None: the municipality as a whole), or None."""
        unit_id, kind = (unit.pk, unit.kind) if unit is not None else (None, None)
        return self._closure(day, unit_id=unit_id, unit_kind=kind, group_id=group_id)

    def _closure(self, day: date, *, unit_id, unit_kind, group_id) -> Closure | None:
        self._check(day)
        for c in self.closures:
            if c.start <= day <= c.end and c.applies_to(unit_id=unit_id, unit_kind=unit_kind, group_id=group_id):
                return c
        return None

    def _reason(self, day: date, *, unit_id, unit_kind, group_id) -> str | None:
        self._check(day)
        if day.weekday() >= 5:
            return _("Helg")
        if day in self.holidays:
            return self.holidays[day]
        found = self._closure(day, unit_id=unit_id, unit_kind=unit_kind, group_id=group_id)
        if found is not None:
            return found.label
        if unit_kind in (None, Unit.Kind.GRUNDSKOLA) and not self.in_term(day):
            return _("Ingen termin")
        return None

    def closed_reason(self, day: date, *, unit: Unit | None = None, group_id: int | None = None) -> str | None:
        """Why the unit is closed on `day` ("Helg", the holiday's name, the closed period's
        label, "Ingen termin"), or None on a school day / care day."""
        unit_id, kind = (unit.pk, unit.kind) if unit is not None else (None, None)
        return self._reason(day, unit_id=unit_id, unit_kind=kind, group_id=group_id)

    def school_closed_reason(self, day: date, *, unit_id: int, group_id: int | None = None) -> str | None:
        """`closed_reason` for a school unit known by id (the timetable: lessons are held
        at schools only)."""
        return self._reason(day, unit_id=unit_id, unit_kind=Unit.Kind.GRUNDSKOLA, group_id=group_id)

    def is_open(self, day: date, *, unit: Unit | None = None, group_id: int | None = None) -> bool:
        return self.closed_reason(day, unit=unit, group_id=group_id) is None

    def open_days(self, start: date, end: date, *, unit: Unit | None = None, group_id: int | None = None) -> list[date]:
        days = []
        day = start
        while day <= end:
            if self.is_open(day, unit=unit, group_id=group_id):
                days.append(day)
            day += timedelta(days=1)
        return days

    def is_open_for_any(self, day: date, units: Iterable[Unit]) -> bool:
        """A care or school day in at least one of these units (a child's placements)."""
        return any(self.is_open(day, unit=u) for u in units)

    def lov_periods(self, *, unit: Unit | None = None) -> list[Lov]:
        unit_id = unit.pk if unit is not None else None
        return [
            Lov(kind=c.kind, label=c.label, start=c.start, end=c.end, unit_id=c.unit_id)
            for c in self.closures
            if c.is_lov and c.unit_id in (None, unit_id) and c.group_id is None
        ]


def _periods(*, start: date, end: date, unit_ids: Iterable[int] | None):
    """The closed periods overlapping [start, end] for these units and the whole municipality
    (`unit_ids` None: every unit)."""
    periods = ClosedPeriod.objects.filter(start_date__lte=end, end_date__gte=start)
    if unit_ids is not None:
        periods = periods.filter(Q(unit__isnull=True) | Q(unit_id__in=list(unit_ids)))
    return periods


def _terms(*, start: date, end: date):
    """The terms overlapping [start, end]: callers widen their range by _TERM_HORIZON."""
    return Term.objects.filter(start_date__lte=end, end_date__gte=start)


def _load_closures(*, start: date, end: date, unit_ids: Iterable[int] | None) -> list[Closure]:
    rows = _periods(start=start, end=end, unit_ids=unit_ids).order_by("start_date", "id").values_list(*_CLOSURE_COLUMNS)
    return [_closure_of(*row) for row in rows]


def _load_terms(*, start: date, end: date) -> list[tuple[date, date]]:
    terms = _terms(start=start - _TERM_HORIZON, end=end + _TERM_HORIZON)
    return list(terms.values_list("start_date", "end_date"))


def _both_query(*, unit_ids: list[int], start: date, end: date, terms_from: date, terms_to: date):
    """`_load_closures` and `_load_terms` as one UNION ALL: a marker ("c" or "t") and a closed
    period's columns, a term's dates in the same places. Every date is an argument (a
    Statement reuses no date it computed itself)."""
    from django.db.models import CharField, IntegerField, Value

    def text(value: str):
        return Value(value, output_field=CharField())

    closures = _periods(start=start, end=end, unit_ids=unit_ids).order_by().values_list(text("c"), *_CLOSURE_COLUMNS)
    no_id = Value(None, output_field=IntegerField())
    terms = (
        _terms(start=terms_from, end=terms_to)
        .order_by()
        .values_list(text("t"), "id", "kind", text(""), text(""), "start_date", "end_date", no_id, no_id)
    )
    return closures.union(terms, all=True).order_by()


_BOTH = Statement(_both_query)


def _both_later(*, start: date, end: date, unit_ids: Iterable[int]) -> Pending:
    """`_load_closures` and `_load_terms` in one query (`_BOTH`), to run when asked."""
    return _BOTH.later(
        unit_ids=sorted(unit_ids),
        start=start,
        end=end,
        terms_from=start - _TERM_HORIZON,
        terms_to=end + _TERM_HORIZON,
    )


def _both_of(rows: list) -> tuple[list[Closure], list[tuple[date, date]]]:
    closures = sorted((r[1:] for r in rows if r[0] == "c"), key=lambda r: (r[4], r[0]))  # start_date, id
    return [_closure_of(*row) for row in closures], sorted((r[5], r[6]) for r in rows if r[0] == "t")


class _SharedCalendar:
    """The closed periods and terms of a range and a set of units, loaded together on first
    need (one query), then narrowed per question without a query (see shared_calendar)."""

    def __init__(self, *, start: date, end: date, unit_ids: set[int]):
        self.start, self.end, self.unit_ids = start, end, unit_ids
        self._closures: list[Closure] | None = None
        self._terms: list[tuple[date, date]] | None = None
        # The load, once asked for: the Hub's box loaders run side by side
        # (config.statements.together), and those that ask while it runs wait for it too.
        self._loading: Pending | None = None

    def covers(self, start: date, end: date, unit_ids: Iterable[int] | None) -> bool:
        return unit_ids is not None and self.start <= start and end <= self.end and set(unit_ids) <= self.unit_ids

    def load(self) -> None:
        if self._closures is None or self._terms is None:
            if self._loading is None:
                self._loading = _both_later(start=self.start, end=self.end, unit_ids=self.unit_ids)
            rows = ask(self._loading)
            if self._closures is None or self._terms is None:
                self._closures, self._terms = _both_of(rows)

    def calendar(self, *, start: date, end: date, unit_ids: Iterable[int], with_terms: bool) -> SchoolCalendar:
        self.load()
        wanted = set(unit_ids)
        # The same rows, in the same order, as calendar_for's own query for this range and units.
        closures = [
            c
            for c in self._closures
            if c.start <= end and c.end >= start and (c.unit_id is None or c.unit_id in wanted)
        ]
        terms = None
        if with_terms:
            terms = [(s, e) for s, e in self._terms if s <= end + _TERM_HORIZON and e >= start - _TERM_HORIZON]
        return SchoolCalendar(start=start, end=end, closures=closures, terms=terms)


_shared: ContextVar[_SharedCalendar | None] = ContextVar("skolhubb_shared_calendar", default=None)


@contextmanager
def shared_calendar(*, unit_ids: Iterable[int], start: date, end: date) -> Iterator[None]:
    """Within this block, `calendar_for` for a range inside [start, end] and units among
    `unit_ids` answers from one load: the closed periods and the terms in one query on first
    need, then none. A question outside the range or the units loads its own,
    as without the block. Only for a block that changes no closed period or term (a page's
    reads): what it loaded is not reloaded."""
    token = _shared.set(_SharedCalendar(start=start, end=end, unit_ids=set(unit_ids)))
    try:
        yield
    finally:
        _shared.reset(token)


def load_shared_calendar() -> None:
    """Inside `shared_calendar`, load it now (one query, which every call that asks meanwhile
    waits for); elsewhere nothing. A Hub box that will ask about closed days after its own
    query runs both together (config.statements.together), so the calendar rides with the
    boxes' first round trip instead of making a second one."""
    shared = _shared.get()
    if shared is not None:
        shared.load()


def calendar_for(
    *, start: date, end: date, unit_ids: Iterable[int] | None = None, with_terms: bool = True
) -> SchoolCalendar:
    """Two queries: the closed periods overlapping [start, end] for these units (and the
    municipality-wide ones), and the terms around the range. `unit_ids` None: every unit.
    `with_terms=False` saves the second query for callers that only ask about care days or
    check terms themselves (a lesson carries its term). Inside `shared_calendar`, none once
    the block's calendar is loaded."""
    shared = _shared.get()
    if shared is not None and shared.covers(start, end, unit_ids):
        return shared.calendar(start=start, end=end, unit_ids=unit_ids, with_terms=with_terms)
    closures = _load_closures(start=start, end=end, unit_ids=unit_ids)
    terms = _load_terms(start=start, end=end) if with_terms else None
    return SchoolCalendar(start=start, end=end, closures=closures, terms=terms)


# --- One-off questions (each loads its own calendar: 2 queries) ---------------------------


def is_school_day(day: date, *, unit: Unit | None = None) -> bool:
    """A school day for this unit; without a unit, for the municipality's schools as a whole
    (weekday, no holiday, in term, no municipality-wide lov or closed day)."""
    return calendar_for(start=day, end=day, unit_ids=[unit.pk] if unit else []).is_open(day, unit=unit)


def open_days_between(start: date, end: date, *, unit: Unit | None = None) -> list[date]:
    return calendar_for(start=start, end=end, unit_ids=[unit.pk] if unit else []).open_days(start, end, unit=unit)


def previous_school_day(day: date, *, unit: Unit | None = None, within_days: int = 120) -> date | None:
    """The last school day before `day` within `within_days` (None if there is none: the
    first day after sommarlov has no previous school day in reach)."""
    start = day - timedelta(days=within_days)
    days = open_days_between(start, day - timedelta(days=1), unit=unit)
    return days[-1] if days else None


def lov_periods(*, start: date, end: date, unit: Unit | None = None) -> list[Lov]:
    """Lov periods overlapping [start, end] for this unit (or the whole municipality)."""
    return calendar_for(start=start, end=end, unit_ids=[unit.pk] if unit else []).lov_periods(unit=unit)


def next_school_day(day: date, *, unit: Unit | None = None, within_days: int = 120) -> date | None:
    """The first school day after `day` within `within_days` (None if there is none)."""
    days = open_days_between(day + timedelta(days=1), day + timedelta(days=within_days), unit=unit)
    return days[0] if days else None
