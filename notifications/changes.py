"""Change notifications: say what changed, not only that something did
("Utflykten flyttad från tisdag till torsdag"). Used by any app that tells people about a
moved or edited thing they have already seen."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def _when(value, *, other, today: date) -> str:
    if isinstance(value, datetime):
        local, other_local = timezone.localtime(value), timezone.localtime(other)
        if local.date() == other_local.date():
            return f"{local:%H:%M}"
        day = _day(local.date(), today=today)
        return f"{day} {local:%H:%M}" if local.time() != other_local.time() else day
    return _day(value, today=today)


def _day(value: date, *, today: date) -> str:
    # Within the coming week the weekday says it; further away the date is needed too.
    if 0 <= (value - today).days < 7:
        return date_format(value, "l")
    return date_format(value, "l j F")


def moved_text(*, what: str, old, new, today: date | None = None) -> str:
    """'<what> flyttad från <old> till <new>' with just enough detail: the weekday within
    a week, the date beyond, the time when it changed."""
    today = today or timezone.localdate()
    if isinstance(old, datetime) != isinstance(new, datetime):  # all-day ↔ timed: compare the days
        old = timezone.localtime(old).date() if isinstance(old, datetime) else old
        new = timezone.localtime(new).date() if isinstance(new, datetime) else new
    return _("%(what)s flyttad från %(old)s till %(new)s") % {
        "what": what,
        "old": _when(old, other=new, today=today),
        "new": _when(new, other=old, today=today),
    }
