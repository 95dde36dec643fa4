"""API routes of care schedules: read a child's weeks, set days. Mounted by the api app
under /api/v1/schedules/. Writes go through schedule_days_set, so the lock holds here as on
the page (a guardian cannot change today and the next SKOLHUBB_SCHEDULE_LOCK_DAYS days)."""

from datetime import date, time

from ninja import Router, Schema

from api.serialize import to_json
from schedules import access, selectors, services

router = Router(tags=["Omsorgstider"])


class WeeksOut(Schema):
    child_id: int
    version: int
    can_write: bool
    lock_last_day: date
    weeks: list[dict]


class DaysIn(Schema):
    start_date: date
    end_date: date | None = None
    kind: str  # "times", "ledig" or "base" (DayEntry.Kind)
    start_time: time | None = None
    end_time: time | None = None
    version: int | None = None


class DaysOut(Schema):
    changed: int
    version: int


@router.get("/children/{child_id}/weeks", response=WeeksOut, summary="Ett barns omsorgstider, två veckor")
def child_weeks(request, child_id: int, week: str | None = None):
    """`week` as 2026-W49 (default: this week)."""
    child_access = access.get_care_child_for_viewer(request, child_id)
    monday = selectors.week_from_param(week)
    weeks = selectors.child_weeks(child=child_access.child, placements=child_access.placements, monday=monday)
    return {
        "child_id": child_access.child.pk,
        "version": selectors.schedule_version(child=child_access.child),
        "can_write": child_access.can_write,
        "lock_last_day": selectors.lock_last_day(),
        "weeks": to_json(weeks),
    }


@router.put("/children/{child_id}/days", response=DaysOut, summary="Sätt tider, ledig eller grundschema")
def child_days_set(request, child_id: int, payload: DaysIn):
    child_access = access.get_care_child_for_edit(request, child_id)
    changed = services.schedule_days_set(
        child=child_access.child,
        actor=request.user,
        start_date=payload.start_date,
        end_date=payload.end_date,
        kind=payload.kind,
        start_time=payload.start_time,
        end_time=payload.end_time,
        version=payload.version,
        as_staff=child_access.as_staff,
        placements=child_access.placements,
    )
    return {"changed": changed, "version": selectors.schedule_version(child=child_access.child)}
