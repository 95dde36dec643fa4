"""The school day, answered in one place (roster.calendar): weekday, holidays, term, lov and
the unit's closed days; lov closes schools only, care stays open."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from roster import calendar
from roster.models import ClosedPeriod

pytestmark = pytest.mark.django_db


def test_jullov_is_not_school_days_but_fritids_and_forskola_are_open(demo):
    norrskolan, fritids, solrosen = demo["norrskolan"], demo["fritids"], demo["solrosen"]
    cal = calendar.calendar_for(
        start=date(2026, 12, 19), end=date(2027, 1, 6), unit_ids=[norrskolan.pk, fritids.pk, solrosen.pk]
    )
    # 19 Dec–6 Jan: Monday 21 Dec is the last school day of the term; the rest is jullov,
    # holidays and weekends.
    assert cal.open_days(date(2026, 12, 19), date(2027, 1, 6), unit=norrskolan) == [date(2026, 12, 21)]
    assert cal.closed_reason(date(2026, 12, 28), unit=norrskolan) == "Jullov"
    assert cal.closed_reason(date(2026, 12, 24), unit=norrskolan) == "Julafton"
    assert cal.closed_reason(date(2026, 12, 26), unit=norrskolan) == "Helg"
    # Care is open on lov weekdays that are not holidays.
    care_days = [date(2026, 12, 21), date(2026, 12, 22), date(2026, 12, 23), date(2026, 12, 28)]
    for unit in (fritids, solrosen):
        assert cal.open_days(date(2026, 12, 19), date(2026, 12, 28), unit=unit) == care_days


def test_studiedag_closes_its_unit_only_and_terms_bound_school_days(demo):
    norrskolan, fritids = demo["norrskolan"], demo["fritids"]
    studiedag = ClosedPeriod.objects.get(unit=norrskolan, kind="studiedag").start_date
    assert not calendar.is_school_day(studiedag, unit=norrskolan)
    assert calendar.is_school_day(studiedag, unit=fritids)  # fritids open on the school's studiedag
    assert calendar.is_school_day(studiedag)  # the municipality as a whole: an ordinary day
    # Between terms there is no school even on a weekday without a lov stored.
    ClosedPeriod.objects.filter(kind="sommarlov").delete()
    assert not calendar.is_school_day(date(2027, 7, 5), unit=norrskolan)
    assert calendar.is_school_day(date(2027, 7, 5), unit=fritids)


def test_lov_periods_are_data_others_can_read(demo):
    lov = calendar.lov_periods(start=date(2026, 8, 1), end=date(2027, 8, 31))
    assert [(item.kind, item.label) for item in lov] == [
        ("hostlov", "Höstlov"),
        ("jullov", "Jullov"),
        ("sportlov", "Sportlov"),
        ("pasklov", "Påsklov"),
        ("sommarlov", "Sommarlov"),
    ]
    jullov = lov[1]
    assert (jullov.start, jullov.end, jullov.unit_id) == (date(2026, 12, 22), date(2027, 1, 7), None)


def test_previous_and_next_school_day_skip_lov(demo):
    assert calendar.next_school_day(date(2026, 12, 21)) == date(2027, 1, 8)
    assert calendar.previous_school_day(date(2027, 1, 8)) == date(2026, 12, 21)


def test_a_loaded_calendar_refuses_days_outside_its_range():
    cal = calendar.calendar_for(start=date(2026, 11, 23), end=date(2026, 11, 27))
    with pytest.raises(ValueError, match="outside the loaded range"):
        cal.is_open(date(2026, 11, 30))


def test_closed_period_validation(demo):
    period = ClosedPeriod(kind="studiedag", start_date=date(2026, 12, 3), end_date=date(2026, 12, 2))
    with pytest.raises(ValidationError):
        period.full_clean()


def test_a_shared_calendar_answers_as_its_own_loads_would_with_one_query_in_all(demo, django_assert_num_queries):
    """Inside shared_calendar, every question within its range and units gets exactly what
    calendar_for's own queries return (the same closures in the same order, the same terms),
    from one query (the closed periods and the terms together); a question outside the range
    or the units loads its own."""
    from datetime import timedelta

    norrskolan, fritids, solrosen = demo["norrskolan"], demo["fritids"], demo["solrosen"]
    studiedag = ClosedPeriod.objects.get(unit=norrskolan, kind="studiedag").start_date
    ClosedPeriod.objects.create(unit=solrosen, kind="planeringsdag", start_date=studiedag, end_date=studiedag)
    start, end = date(2026, 8, 1), date(2027, 8, 31)
    questions = [
        (studiedag, studiedag, [norrskolan.pk], True),
        (studiedag - timedelta(days=3), studiedag + timedelta(days=3), [solrosen.pk, fritids.pk], False),
        (date(2026, 12, 19), date(2027, 1, 6), [norrskolan.pk, fritids.pk, solrosen.pk], True),
        (start, end, [], True),
        (date(2027, 2, 1), date(2027, 4, 30), [fritids.pk], False),
    ]

    def answer(cal, s, e):
        return (cal.closures, cal.terms, cal.open_days(s, e, unit=norrskolan), cal.open_days(s, e, unit=solrosen))

    own = [answer(calendar.calendar_for(start=s, end=e, unit_ids=u, with_terms=t), s, e) for s, e, u, t in questions]
    units = [norrskolan.pk, fritids.pk, solrosen.pk]
    with calendar.shared_calendar(unit_ids=units, start=start, end=end):
        with django_assert_num_queries(1):  # the closed periods and the terms, together
            shared = [
                answer(calendar.calendar_for(start=s, end=e, unit_ids=u, with_terms=t), s, e)
                for s, e, u, t in questions
            ]
        assert shared == own
        assert all(closures for closures, *_rest in shared[:3])
        # Outside the range, or another unit, or every unit: its own load, as without the block.
        with django_assert_num_queries(1):
            calendar.calendar_for(start=end, end=end + timedelta(days=1), unit_ids=units, with_terms=False)
        with django_assert_num_queries(1):
            calendar.calendar_for(start=start, end=start, unit_ids=[norrskolan.pk, max(units) + 1], with_terms=False)
        with django_assert_num_queries(1):
            calendar.calendar_for(start=start, end=start, unit_ids=None, with_terms=False)
    with django_assert_num_queries(1):  # the block ended: back to one's own load
        calendar.calendar_for(start=studiedag, end=studiedag, unit_ids=[norrskolan.pk], with_terms=False)
