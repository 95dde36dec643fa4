"""Swedish personal identity numbers (personnummer) and coordination numbers
(samordningsnummer, day of birth + 60), checked with the Luhn algorithm.

Stored once, normalised to 12 digits (YYYYMMDDNNNN).
"""

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_PATTERN = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$")


@dataclass(frozen=True)
class Personnummer:
    normalized: str  # YYYYMMDDNNNN
    birth_date: date
    is_coordination_number: bool

    @property
    def masked(self) -> str:
        return f"{self.normalized[:8]}-****"

    def __str__(self) -> str:
        return f"{self.normalized[:8]}-{self.normalized[8:]}"


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(digits):
        value = int(char) * (2 if index % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def parse(value: str, *, today: date | None = None) -> Personnummer:
    raw = (value or "").strip().replace(" ", "")
    match = _PATTERN.match(raw)
    if not match:
        raise ValidationError(_("Ange personnumret som ÅÅÅÅMMDD-NNNN (tolv siffror)."), code="format")
    century, yy, mm, dd, sep, serial, check = match.groups()
    if not luhn_ok(f"{yy}{mm}{dd}{serial}{check}"):
        raise ValidationError(_("Personnumret är inte giltigt: kontrollsiffran stämmer inte."), code="checksum")
    day = int(dd)
    coordination = day > 60
    if coordination:
        day -= 60
    today = today or timezone.localdate()
    if century:
        year = int(century + yy)
    else:
        # Ten digits: the most recent century that is not in the future; "+" means 100 years or older.
        year = (today.year // 100) * 100 + int(yy)
        if year > today.year:
            year -= 100
        if sep == "+":
            year -= 100
    try:
        birth = date(year, int(mm), day)
    except ValueError as exc:
        raise ValidationError(_("Personnumret innehåller inget giltigt datum."), code="date") from exc
    if birth > today:
        raise ValidationError(_("Personnumret har ett födelsedatum i framtiden."), code="future")
    shown_day = int(dd)
    normalized = f"{year:04d}{int(mm):02d}{shown_day:02d}{serial}{check}"
    return Personnummer(normalized=normalized, birth_date=birth, is_coordination_number=coordination)


def validate_personnummer(value: str) -> None:
    parse(value)


def mask(normalized: str) -> str:
    return f"{normalized[:8]}-****" if normalized else ""


def with_check_digit(first_nine: str) -> str:
    """The Luhn check digit for YYMMDDNNN (used by the demo data generator)."""
    for digit in "0123456789":
        if luhn_ok(first_nine + digit):
            return digit
    raise AssertionError("unreachable")
