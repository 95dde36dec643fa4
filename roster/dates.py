"""Swedish calendar: public holidays (with the de facto free eves), ISO weeks."""

from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _holidays_for_year(year: int) -> dict[date, str]:
    # Sundays are not holidays for us: weekends are handled on their own.
    official = holidays.Sweden(years=year, include_sundays=False, language="sv")
    days = dict(official.items())
    # Midsommarafton, julafton and nyårsafton are not public holidays by law, but schools
    # and preschools close and everyone treats them as such.
    midsommardagen = next(d for d, name in days.items() if name == "Midsommardagen")
    days[midsommardagen - timedelta(days=1)] = "Midsommarafton"
    days[date(year, 12, 24)] = "Julafton"
    days[date(year, 12, 31)] = "Nyårsafton"
    return days


def swedish_holidays(start: date, end: date) -> dict[date, str]:
    """Holidays from start to end inclusive, by date."""
    result: dict[date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in _holidays_for_year(year).items():
            if start <= day <= end:
                result[day] = name
    return dict(sorted(result.items()))


def is_holiday(day: date) -> bool:
    return day in _holidays_for_year(day.year)


def iso_week(day: date) -> int:
    return day.isocalendar().week


def week_label(day: date) -> str:
    return f"v. {iso_week(day)}"


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def day_label(day: date, *, weekday: bool = False) -> str:
    """The site's one date style: "30 nov", with the year when it is not this year
    ("30 nov 2027"); `weekday` puts the day's name first ("mån 30 nov")."""
    from django.utils import formats, timezone

    fmt = "j b" if day.year == timezone.localdate().year else "j b Y"
    if weekday:
        fmt = "D " + fmt
    return formats.date_format(day, fmt)


def span_label(start: date, end: date) -> str:
    """ "30 nov" or "30 nov–2 dec", in the site's date style."""
    if start == end:
        return day_label(start)
    return f"{day_label(start)}–{day_label(end)}"


# Dates users may ask about: anything outside is refused (404 in a URL, a form error in a
# form) before it reaches date arithmetic that would overflow (date.max + 1 day).
DATE_MIN = date(1990, 1, 1)
DATE_MAX = date(2100, 12, 31)


def in_bounds(day: date) -> bool:
    return DATE_MIN <= day <= DATE_MAX


def bounded(day: date) -> date:
    """The date itself, or Http404 when it is outside DATE_MIN–DATE_MAX (for URL and query
    string values)."""
    from django.http import Http404

    if not in_bounds(day):
        raise Http404("Datumet ligger utanför det som går att visa.")
    return day


def validate_in_bounds(day: date) -> None:
    """A form field validator: a Swedish error for a date outside DATE_MIN–DATE_MAX."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    if isinstance(day, datetime):
        day = day.date()
    if day is not None and not in_bounds(day):
        raise ValidationError(
            _("Ange ett datum mellan %(min)s och %(max)s.") % {"min": DATE_MIN.year, "max": DATE_MAX.year},
            code="date_out_of_range",
        )
