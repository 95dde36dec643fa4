"""School days: weekdays that are not Swedish public holidays (no query)."""

from datetime import date, timedelta

from roster.dates import is_holiday


def is_school_day(day: date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def previous_school_day(day: date) -> date:
    day -= timedelta(days=1)
    while not is_school_day(day):
        day -= timedelta(days=1)
    return day


def next_school_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_school_day(day):
        day += timedelta(days=1)
    return day


def school_days_between(start: date, end: date) -> int:
    count = 0
    day = start
    while day <= end:
        count += is_school_day(day)
        day += timedelta(days=1)
    return count
