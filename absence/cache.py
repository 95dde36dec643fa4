"""Absence's cached pages and figures, kept under the generations that change them
(config/generations.py): nothing is stale for longer than it takes the change to commit.

- gen.EPOCH: terms, groups and lessons (their only writes are the admin and the structure
  signals, which bump everything) and any admin edit (reports and registrations included);
- gen.unit_key(unit): the unit's placements (roster signals and bulk writes) and closed
  days (schedules services);
- gen.unit_staff_key(unit): the absence reports of the unit's children (absence services,
  through hub.cache.bump(child_ids=...));
- attendance_key(unit): the lesson registrations of the unit's groups
  (services.lesson_attendance_save).
Every key also holds the date and the release. Pupils' names are kept with the rest, as
the staff Hub box keeps them under its unit's generations (a name edited in the admin bumps
everything).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from config import generations as gen

# Raised when what is stored changes shape (a stored entry of another shape is never read).
VERSION = 2


def attendance_key(unit_id: int) -> str:
    """The generation of a unit's lesson registrations (absence's own: a registration
    changes no Hub box, so it does not touch the unit's or group's Hub generations)."""
    return f"gen:absence:attendance:{unit_id}"


def attendance_changed(*, unit_ids, using: str | None = None) -> None:
    gen.bump_keys([attendance_key(u) for u in unit_ids], using=using)


def keys_for_unit(unit_id: int, *, reports: bool = False) -> list[str]:
    keys = [gen.EPOCH, gen.unit_key(unit_id), attendance_key(unit_id)]
    if reports:
        keys.append(gen.unit_staff_key(unit_id))
    return keys


def read(*, keys: list[str], slot: str, today: date) -> tuple[str | None, object | None]:
    """(stamp, value): see config.generations.read_stamped; the day the figures are for and
    the threshold are in the stamp too."""
    parts = [today.isoformat(), str(VERSION), str(settings.SKOLHUBB_ABSENCE_THRESHOLD_PERCENT)]
    return gen.read_stamped(keys, slot, parts)


def store(*, slot: str, stamp: str | None, value) -> None:
    gen.store_stamped(slot, stamp, value)
