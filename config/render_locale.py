"""The language, time zone, year and URL prefix while one box template renders, looked up once.

Django keeps the active language, time zone, script prefix and URLconf in asgiref Locals: a
lookup takes a lock and a context variable, microseconds each, and a box template asks for
them at every date, translated text and link. A three-child family's cold Hub asked about
three hundred times, half of rendering its boxes. `fixed()` looks them up once for a
render (config.jinja wraps every box template's render in it); `current()` gives them to the
helpers (roster's date filters, config.jinja's `_` and `url`), or None outside a render, where
they look up as before.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import tzinfo
from typing import Any, NamedTuple


class Locale(NamedTuple):
    language: str | None
    zone: tzinfo
    year: int  # the current year in `zone`
    script_prefix: str
    urlconf: Any


_current: contextvars.ContextVar[Locale | None] = contextvars.ContextVar("skolhubb_render_locale", default=None)


def current() -> Locale | None:
    return _current.get()


@contextmanager
def fixed() -> Iterator[Locale]:
    """Inside: `current()` is the locale as it is now (nested: the outer one's)."""
    locale = _current.get()
    if locale is not None:
        yield locale
        return
    from django.urls import get_script_prefix, get_urlconf
    from django.utils import timezone, translation

    zone = timezone.get_current_timezone()
    year = timezone.localtime(timezone.now(), zone).year
    locale = Locale(translation.get_language(), zone, year, get_script_prefix(), get_urlconf())
    token = _current.set(locale)
    try:
        yield locale
    finally:
        _current.reset(token)
