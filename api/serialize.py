"""Plain JSON from the plain data selectors and box loaders return (dataclasses, dates,
model instances), for API answers that mirror a page's data as it is."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from enum import Enum

from django.db.models import Model
from django.utils import timezone


def to_json(value, *, depth: int = 0):
    if depth > 6:
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Model):
        return {"id": value.pk, "text": str(value)}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name), depth=depth + 1) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_json(v, depth=depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v, depth=depth + 1) for v in value]
    return str(value)
