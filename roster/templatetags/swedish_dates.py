"""The site's one date style and one time style, as template filters (loaded as builtins).

    {{ day|dag }}        30 nov          (30 nov 2027 when not this year)
    {{ day|dag_lang }}   måndag 30 nov   (måndag 30 nov 2027)
    {{ day|dag_kort }}   mån 30 nov
    {{ moment|dag_tid }} 30 nov 08:15
    {{ moment|tid }}     08:15
    {{ moment|dag_lang_tid }}  måndag 30 nov 08:15, {{ moment|dag_kort_tid }}  mån 30 nov 08:15
    {{ day|manad_kort }} nov

Dates are shown in Europe/Stockholm; the year appears whenever it is not the current one.
"""

from datetime import date, datetime
from functools import lru_cache

from django import template
from django.utils import formats, timezone, translation

from config import render_locale

register = template.Library()

TIME_FORMAT = "H:i"  # 08:15 everywhere


def _as_date(value, zone=None):
    if isinstance(value, datetime):
        return timezone.localtime(value, zone) if timezone.is_aware(value) else value
    return value


@lru_cache(maxsize=8192)
def _formatted(value, fmt: str, language: str | None, kind: str) -> str:
    """Django's formatting, once per value, format and language in this process: a Hub shows
    about a hundred dates and times, mostly the same few days, and formatting one (Django
    parses the format string every time) cost as much as rendering a line of a box."""
    return formats.time_format(value, fmt) if kind == "time" else formats.date_format(value, fmt)


_year: list = [None, None, None, None]  # the local year now, its time zone, and the instants it begins and ends


def _this_year() -> int:
    """timezone.localdate().year, converting the clock to local time once per year (a Hub
    formats a hundred dates)."""
    now = timezone.now()
    zone = timezone.get_current_timezone()
    year, in_zone, begins, ends = _year
    if year is None or in_zone is not zone or not (begins <= now < ends):
        year = timezone.localtime(now, zone).year
        begins = datetime(year, 1, 1, tzinfo=zone)
        ends = datetime(year + 1, 1, 1, tzinfo=zone)
        _year[:] = [year, zone, begins, ends]
    return year


def _format(value, fmt: str) -> str:
    if value in (None, ""):
        return ""
    # Inside a box template's render the language, zone and year are looked up once.
    locale = render_locale.current()
    value = _as_date(value, locale and locale.zone)
    day = value.date() if isinstance(value, datetime) else value
    if not isinstance(day, date):
        return ""
    if day.year != (locale.year if locale else _this_year()):
        fmt = fmt.replace("j b", "j b Y")
    return _formatted(value, fmt, locale.language if locale else translation.get_language(), "date")


@register.filter
def dag(value) -> str:
    return _format(value, "j b")


@register.filter
def dag_lang(value) -> str:
    return _format(value, "l j b")


@register.filter
def dag_kort(value) -> str:
    return _format(value, "D j b")


@register.filter
def dag_tid(value) -> str:
    return _format(value, f"j b {TIME_FORMAT}")


@register.filter
def tid(value) -> str:
    if value in (None, ""):
        return ""
    locale = render_locale.current()
    language = locale.language if locale else translation.get_language()
    return _formatted(_as_date(value, locale and locale.zone), TIME_FORMAT, language, "time")


@register.filter
def manad_kort(value) -> str:
    """The short month name (nov), as Django's `date:"b"`."""
    return _format(value, "b")


@register.filter
def dag_lang_tid(value) -> str:
    return _format(value, f"l j b {TIME_FORMAT}")


@register.filter
def dag_kort_tid(value) -> str:
    return _format(value, f"D j b {TIME_FORMAT}")
