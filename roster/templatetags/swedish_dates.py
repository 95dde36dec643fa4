"""The site's one date style and one time style, as template filters (loaded as builtins).

    {{ day|dag }}        30 nov          (30 nov 2027 when not this year)
    {{ day|dag_lang }}   måndag 30 nov   (måndag 30 nov 2027)
    {{ day|dag_kort }}   mån 30 nov
    {{ moment|dag_tid }} 30 nov 08:15
    {{ moment|tid }}     08:15
    {{ moment|dag_lang_tid }}  måndag 30 nov 08:15, {{ moment|dag_kort_tid }}  mån 30 nov 08:15

Dates are shown in Europe/Stockholm; the year appears whenever it is not the current one.
"""

from datetime import date, datetime

from django import template
from django.utils import formats, timezone

register = template.Library()

TIME_FORMAT = "H:i"  # 08:15 everywhere


def _as_date(value):
    if isinstance(value, datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def _format(value, fmt: str) -> str:
    if value in (None, ""):
        return ""
    value = _as_date(value)
    day = value.date() if isinstance(value, datetime) else value
    if not isinstance(day, date):
        return ""
    if day.year != timezone.localdate().year:
        fmt = fmt.replace("j b", "j b Y")
    return formats.date_format(value, fmt)


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
    return formats.time_format(_as_date(value), TIME_FORMAT)


@register.filter
def dag_lang_tid(value) -> str:
    return _format(value, f"l j b {TIME_FORMAT}")


@register.filter
def dag_kort_tid(value) -> str:
    return _format(value, f"D j b {TIME_FORMAT}")
