"""Writes for care schedules. The lock is enforced here, for every caller: a guardian can
neither create nor change anything on a locked date, whatever the form or POST said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import AuditEvent
from accounts.services import audit_record
from hub.cache import bump
from hub.registry import CARE
from notifications.services import outbox_email_enqueue
from roster.calendar import calendar_for
from roster.dates import day_label
from roster.models import Child, ClosedPeriod, Placement, Unit, active_q
from schedules import cache as page_cache
from schedules import selectors
from schedules.models import (
    CARE_KINDS,
    Attendance,
    BaseSchedule,
    DayComment,
    DayEntry,
    ReminderSent,
    ScheduleState,
)


def _d(day: date) -> str:
    return day_label(day)


def _lock_error(field: str = "start_date") -> ValidationError:
    return ValidationError(
        {
            field: _(
                "Dagar till och med %(last)s är låsta. Du kan registrera och ändra från och med %(first)s. "
                "Kontakta personalen för ändringar inom låsningen."
            )
            % {"last": _d(selectors.lock_last_day()), "first": _d(selectors.first_open_day())}
        }
    )


def _lock_child(child: Child) -> None:
    """Serialise every write to one child's schedule rows (day entries, base schedules, the
    version): SELECT … FOR UPDATE on the child. Two parallel writers (a guardian's form and
    an absence report's sync) would otherwise both insert the same day and one would fail on
    the unique constraint. Runs inside the caller's transaction; one query."""
    list(Child.objects.select_for_update().filter(pk=child.pk).values_list("pk"))


def _version_bump(*, child: Child, expected: int) -> int:
    """Compare-and-set of the child's schedule version: a stale form is refused, never saved
    over a newer change. The version is required: a write that does not say which version it
    saw could silently overwrite a newer one. Runs inside the caller's transaction."""
    if expected is None:
        raise ValidationError(_("Schemat har ändrats av någon annan, ladda om"), code="stale")
    ScheduleState.objects.get_or_create(child=child)
    if not ScheduleState.objects.filter(pk=child.pk, version=expected).update(version=F("version") + 1):
        raise ValidationError(_("Schemat har ändrats av någon annan, ladda om"), code="stale")
    return expected + 1


def _placement_on(placements: list[Placement], day: date) -> Placement | None:
    return next((p for p in placements if p.is_active(on=day) and p.unit.kind in CARE_KINDS), None)


def _care_placements(child: Child) -> list[Placement]:
    return list(Placement.objects.filter(child=child, unit__kind__in=CARE_KINDS).select_related("unit__care_hours"))


def check_times(*, start: time | None, end: time | None, unit: Unit, start_field: str, end_field: str) -> None:
    """Both times, start before end, 5-minute steps, within the unit's opening hours."""
    errors: dict[str, list[str]] = {}
    if start is None:
        errors.setdefault(start_field, []).append(_("Ange när barnet kommer."))
    if end is None:
        errors.setdefault(end_field, []).append(_("Ange när barnet går hem."))
    if errors:
        raise ValidationError(errors)
    opening, closing = selectors.unit_hours(unit)
    hours = {"open": f"{opening:%H:%M}", "close": f"{closing:%H:%M}"}
    for value, name in ((start, start_field), (end, end_field)):
        if value.minute % 5 or value.second:
            errors.setdefault(name, []).append(_("Ange tiden i hela femminuterssteg, t.ex. 07.35."))
        elif not opening <= value <= closing:
            errors.setdefault(name, []).append(
                _("%(unit)s har öppet %(open)s–%(close)s.") % {"unit": unit.name, **hours}
            )
    if not errors and start >= end:
        errors[end_field] = [_("Sluttiden måste vara efter starttiden.")]
    if errors:
        raise ValidationError(errors)


# --- Base schedule -------------------------------------------------------------------------


def _weeks_json(weeks: list[list[tuple[time | None, time | None]]], unit: Unit) -> list[list]:
    errors: dict[str, list[str]] = {}
    result = []
    for w, week in enumerate(weeks):
        days = []
        for d, (start, end) in enumerate(week):
            if start is None and end is None:
                days.append(None)
                continue
            try:
                check_times(start=start, end=end, unit=unit, start_field=f"w{w}_d{d}_start", end_field=f"w{w}_d{d}_end")
            except ValidationError as exc:
                for key, messages in exc.message_dict.items():
                    errors.setdefault(key, []).extend(messages)
                continue
            days.append([f"{start:%H:%M}", f"{end:%H:%M}"])
        result.append(days)
    if errors:
        raise ValidationError(errors)
    return result


def _base_check(*, child: Child, start_date: date, placements: list[Placement], weeks) -> list[list]:
    if start_date is None:
        raise ValidationError({"start_date": _("Ange från vilket datum schemat gäller.")})
    # Staff too: a base schedule never reaches into the lock; staff change locked days one by one.
    if selectors.is_locked(start_date):
        raise _lock_error()
    placement = _placement_on(placements, start_date)
    if placement is None:
        raise ValidationError(
            {
                "start_date": _("%(name)s har ingen placering den %(day)s.")
                % {"name": child.given_name, "day": _d(start_date)}
            }
        )
    if len(weeks) not in (1, 2) or any(len(w) != 5 for w in weeks):
        raise ValidationError(_("Schemat ska ha fem dagar per vecka."))
    return _weeks_json(weeks, placement.unit)


@transaction.atomic
def schedule_base_set(
    *,
    child: Child,
    actor,
    start_date: date,
    weeks: list[list[tuple[time | None, time | None]]],
    version: int,
    placements: list[Placement] | None = None,
) -> BaseSchedule:
    """A base schedule from `start_date` on: it replaces older ones from that date, never
    before (base schedules starting on or after it are removed). `weeks` is one week, or two
    for odd/even ISO weeks (odd first)."""
    placements = placements if placements is not None else _care_placements(child)
    weeks_json = _base_check(child=child, start_date=start_date, placements=placements, weeks=weeks)
    _lock_child(child)
    _version_bump(child=child, expected=version)
    BaseSchedule.objects.filter(child=child, start_date__gte=start_date).delete()
    base = BaseSchedule.objects.create(child=child, start_date=start_date, weeks=weeks_json, created_by=actor)
    bump(child_ids=[child.pk], topic=CARE)
    audit_record(
        actor=actor, action=AuditEvent.Action.CREATE, obj=base, child_id=child.pk, details={"weeks": weeks_json}
    )
    return base


# --- Day changes ---------------------------------------------------------------------------


def _day_targets(
    *, child: Child, start_date: date, end_date: date | None, placements: list[Placement], as_staff: bool
) -> list[tuple[date, Placement]]:
    """The weekdays to change. A single date must be an open school day; a range skips
    weekends, holidays and closed days. Every date must be inside a placement and, for a
    guardian, after the lock."""
    if start_date is None:
        raise ValidationError({"start_date": _("Ange ett datum.")})
    end_date = end_date or start_date
    if end_date < start_date:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})
    if (end_date - start_date).days > 366:
        raise ValidationError({"end_date": _("Välj högst ett år åt gången.")})
    if not as_staff and selectors.is_locked(start_date):
        raise _lock_error()
    single = start_date == end_date
    calendar = calendar_for(start=start_date, end=end_date, unit_ids={p.unit_id for p in placements}, with_terms=False)
    targets = []
    day = start_date
    while day <= end_date:
        placement = _placement_on(placements, day)
        if placement is None:
            raise ValidationError(
                {
                    "start_date" if single else "end_date": _("%(name)s har ingen placering den %(day)s.")
                    % {"name": child.given_name, "day": _d(day)}
                }
            )
        shut = not calendar.is_open(day, unit=placement.unit)
        if shut and single:
            raise ValidationError(
                {"start_date": _("%(unit)s har stängt den %(day)s.") % {"unit": placement.unit.name, "day": _d(day)}}
            )
        if not shut:
            targets.append((day, placement))
        day += timedelta(days=1)
    if not targets:
        raise ValidationError({"end_date": _("Det finns inga öppna dagar i perioden.")})
    return targets


@transaction.atomic
def schedule_days_set(
    *,
    child: Child,
    actor,
    start_date: date,
    end_date: date | None,
    kind: str,
    start_time: time | None,
    end_time: time | None,
    version: int,
    as_staff: bool = False,
    reason: str = "",
    placements: list[Placement] | None = None,
) -> int:
    """Set times, "ledig", or back to the base schedule on a date or a range. Guardians only
    after the lock; staff also inside it, with a required reason (recorded, shown to the
    guardian). Returns the number of days changed."""
    placements = placements if placements is not None else _care_placements(child)
    if kind not in DayEntry.Kind.values:
        raise ValidationError({"kind": _("Välj tider, ledig eller grundschema.")})
    targets = _day_targets(
        child=child, start_date=start_date, end_date=end_date, placements=placements, as_staff=as_staff
    )
    reason = (reason or "").strip()
    touches_lock = any(selectors.is_locked(day) for day, _p in targets)
    if as_staff and touches_lock and not reason:
        raise ValidationError({"reason": _("Skriv varför schemat ändras inom låsningen.")})
    if kind == DayEntry.Kind.TIMES:
        for unit in {p.unit for _day, p in targets}:
            check_times(start=start_time, end=end_time, unit=unit, start_field="start_time", end_field="end_time")
    else:
        start_time = end_time = None
    _lock_child(child)
    _version_bump(child=child, expected=version)
    existing = {e.date: e for e in DayEntry.objects.filter(child=child, date__in=[day for day, _p in targets])}
    new, changed = [], []
    for day, _placement in targets:
        entry = existing.get(day) or DayEntry(child=child, date=day)
        entry.kind, entry.start_time, entry.end_time, entry.changed_by = kind, start_time, end_time, actor
        entry.override_reason = reason if as_staff and selectors.is_locked(day) else ""
        entry.updated_at = timezone.now()  # bulk_update does not touch auto_now fields
        (changed if entry.pk else new).append(entry)
    DayEntry.objects.bulk_create(new)
    DayEntry.objects.bulk_update(
        changed, ["kind", "start_time", "end_time", "changed_by", "override_reason", "updated_at"]
    )
    # A day back on the base schedule with nothing else on it needs no row.
    DayEntry.objects.filter(child=child, kind=DayEntry.Kind.BASE, absent=False, override_reason="").delete()
    bump(child_ids=[child.pk], topic=CARE)
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=child,
        child_id=child.pk,
        details={
            "schedule_days": [day.isoformat() for day, _p in targets],
            "kind": kind,
            "times": [f"{start_time:%H:%M}", f"{end_time:%H:%M}"] if start_time and end_time else None,
            "staff_override_reason": reason if as_staff and touches_lock else "",
        },
    )
    return len(targets)


# --- Copy to siblings ----------------------------------------------------------------------


@dataclass
class CopyFailure:
    name: str
    message: str


def schedule_copy_to_siblings(*, siblings: list[Child], actor, operation, **kwargs) -> list[CopyFailure]:
    """Run `operation` (schedule_base_set or schedule_days_set) for each sibling on its own:
    what succeeds is saved, what fails is reported by name with the reason (and date).
    The guardian saw no form for the sibling, so the version is the sibling's current one
    (a change that lands in between is reported as a failure for that sibling, not overwritten)."""
    failures = []
    for sibling in siblings:
        try:
            operation(
                child=sibling,
                actor=actor,
                version=selectors.schedule_version(child=sibling),
                placements=_care_placements(sibling),
                **kwargs,
            )
        except ValidationError as exc:
            messages = exc.messages
            failures.append(CopyFailure(name=sibling.given_name, message=" ".join(messages)))
    return failures


def siblings_in_care(*, viewer, child: Child) -> list[Child]:
    """The guardian's other children with a care placement (from the viewer, no query)."""
    return [
        c
        for c in viewer.children
        if c.pk != child.pk
        and c.user_id != viewer.user.pk
        and any(p.unit.kind in CARE_KINDS for p in c.active_placements)
    ]


# --- Absence (called by the absence app) ---------------------------------------------------


@transaction.atomic
def care_absence_set(*, child: Child, start_date: date, end_date: date, absent: bool, note: str = "") -> int:
    """Mark (or unmark) the child's care days in [start_date, end_date] as absent, so day
    lists and the planning chart do not count the child. Not subject to the guardian lock: it
    comes from an absence report. Returns the number of days affected (weekdays inside a care
    placement)."""
    if end_date < start_date:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})
    _lock_child(child)
    placements = _care_placements(child)
    days = [d for d in selectors.weekdays(start_date, end_date) if _placement_on(placements, d)]
    if not days:
        return 0
    existing = {e.date: e for e in DayEntry.objects.filter(child=child, date__in=days)}
    if absent:
        new, changed = [], []
        for day in days:
            entry = existing.get(day) or DayEntry(child=child, date=day)
            entry.absent, entry.absent_note = True, note[:300]
            entry.updated_at = timezone.now()
            (changed if entry.pk else new).append(entry)
        DayEntry.objects.bulk_create(new)
        DayEntry.objects.bulk_update(changed, ["absent", "absent_note", "updated_at"])
        affected = len(days)
    else:
        affected = DayEntry.objects.filter(child=child, date__in=days, absent=True).update(absent=False, absent_note="")
        DayEntry.objects.filter(
            child=child, date__in=days, kind=DayEntry.Kind.BASE, absent=False, override_reason=""
        ).delete()
    # No version bump: absence is its own field, a guardian's open week form does not touch it.
    # The Hub's generation is another matter: the box and the unit's counts show absence.
    bump(child_ids=[child.pk], topic=CARE)
    return affected


# --- Comments ------------------------------------------------------------------------------


def day_comment_create(*, child: Child, author, day: date, body: str, by_staff: bool) -> DayComment:
    """A comment on a day, also a locked one (that is what it is for)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Skriv en kommentar.")})
    if len(body) > 500:
        raise ValidationError({"body": _("Kommentaren får vara högst 500 tecken.")})
    if day is None:
        raise ValidationError({"date": _("Ange ett datum.")})
    if _placement_on(_care_placements(child), day) is None:
        raise ValidationError(
            {"date": _("%(name)s har ingen placering den %(day)s.") % {"name": child.given_name, "day": _d(day)}}
        )
    comment = DayComment.objects.create(child=child, author=author, date=day, body=body, by_staff=by_staff)
    bump(child_ids=[child.pk], topic=CARE)
    return comment


def day_comments_mark_read(*, child_ids, start: date, end: date, by_staff: bool, unit=None) -> int:
    """The reader saw the other side's comments in [start, end]. One query. The Hub's unread
    counts follow: staff reading (in `unit`) changes the unit's box, a guardian reading
    changes the child's box."""
    child_ids = list(child_ids)
    marked = DayComment.objects.filter(
        child_id__in=child_ids, date__range=(start, end), by_staff=not by_staff, read_at__isnull=True
    ).update(read_at=timezone.now())
    if marked and by_staff:
        bump(unit_ids=[unit.pk] if unit else [], child_ids=[] if unit else child_ids, topic=CARE)
    elif marked:
        bump(child_ids=child_ids, with_units=False, topic=CARE)
    return marked


# --- Check-in and check-out ----------------------------------------------------------------

ATTENDANCE_ACTIONS = {"arrive", "leave", "undo-arrive", "undo-leave"}


@transaction.atomic
def attendance_tap(*, child: Child, actor, action: str, day: date | None = None) -> Attendance:
    """One tap: arrival or departure now, with who tapped; or undo a mistaken tap."""
    if action not in ATTENDANCE_ACTIONS:
        raise ValidationError(_("Okänd åtgärd."))
    day = day or timezone.localdate()
    now = timezone.now()
    attendance, _created = Attendance.objects.select_for_update().get_or_create(child=child, date=day)
    if action == "arrive":
        if attendance.arrived_at:
            raise ValidationError(_("%(name)s är redan incheckad.") % {"name": child.given_name})
        attendance.arrived_at, attendance.arrived_by = now, actor
    elif action == "leave":
        if not attendance.arrived_at:
            raise ValidationError(_("%(name)s är inte incheckad.") % {"name": child.given_name})
        if attendance.left_at:
            raise ValidationError(_("%(name)s är redan utcheckad.") % {"name": child.given_name})
        attendance.left_at, attendance.left_by = now, actor
    elif action == "undo-leave":
        attendance.left_at, attendance.left_by = None, None
    else:  # undo-arrive also undoes a departure: no departure without an arrival
        attendance.arrived_at = attendance.arrived_by = attendance.left_at = attendance.left_by = None
    attendance.save()
    # Only the care pages show check-ins (schedules/cache.py): no Hub is voided by a tap.
    page_cache.attendance_changed(
        child_id=child.pk,
        unit_ids=Placement.objects.filter(active_q(on=day), child=child).values_list("unit_id", flat=True),
    )
    audit_record(
        actor=actor, action=AuditEvent.Action.CHANGE, obj=attendance, child_id=child.pk, details={"tap": action}
    )
    return attendance


# --- Closed days ---------------------------------------------------------------------------


CLOSED_DAY_KINDS = [ClosedPeriod.Kind.STUDIEDAG, ClosedPeriod.Kind.PLANERINGSDAG, ClosedPeriod.Kind.STANGT]


def closed_day_create(*, unit: Unit, actor, day: date, reason: str) -> ClosedPeriod:
    """A closed day of a care unit, stored once in roster (the Kalender shows it from there)."""
    if day is None:
        raise ValidationError({"date": _("Ange ett datum.")})
    if reason not in CLOSED_DAY_KINDS:
        raise ValidationError({"reason": _("Välj en anledning.")})
    if day < timezone.localdate():
        raise ValidationError({"date": _("Datumet har redan varit.")})
    if day.weekday() >= 5:
        raise ValidationError({"date": _("Det är en helgdag.")})
    with transaction.atomic():
        # The unit row serialises closed-day changes: a double-clicked "Stäng dagen" finds the
        # first one's day instead of failing on the unique constraint.
        list(Unit.objects.select_for_update().filter(pk=unit.pk).values_list("pk"))
        if ClosedPeriod.objects.filter(unit=unit, start_date__lte=day, end_date__gte=day).exists():
            raise ValidationError({"date": _("Den dagen är redan stängd.")})
        closed = ClosedPeriod.objects.create(
            unit=unit,
            kind=reason,
            title=closed_day_title(unit=unit, reason=reason),
            start_date=day,
            end_date=day,
            created_by=actor,
        )
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=closed, details={"date": day.isoformat()})
        bump(unit_ids=[unit.pk])
    return closed


def closed_day_delete(*, unit: Unit, actor, closed_day_id: int) -> int:
    with transaction.atomic():
        closed = (
            ClosedPeriod.objects.select_for_update()
            .filter(unit=unit, pk=closed_day_id)
            .exclude(kind__in=ClosedPeriod.LOV_KINDS)
            .first()
        )
        if closed is None:
            return 0  # already removed (a double click): nothing to do
        audit_record(
            actor=actor, action=AuditEvent.Action.DELETE, obj=closed, details={"date": closed.start_date.isoformat()}
        )
        closed.delete()
        bump(unit_ids=[unit.pk])
    return 1


def closed_day_title(*, unit: Unit, reason: str) -> str:
    """The title a closed day shows in the unit's Kalender."""
    # Stored text, like a title staff would write (not a UI string to translate).
    closed = "förskolan stängd" if unit.kind == Unit.Kind.FORSKOLA else "fritids stängt"
    with translation.override("sv"):
        label = str(ClosedPeriod.Kind(reason).label)
    return f"{label} – {closed}"


# --- Reminders -----------------------------------------------------------------------------


def reminder_week(today: date | None = None) -> str:
    today = today or timezone.localdate()
    year, week, _day = today.isocalendar()
    return f"{year}-W{week:02d}"


def schedule_reminders_due(*, today: date | None = None) -> list[int]:
    """Guardians with a child missing registrations after the lock who have not had this
    week's reminder. Queries: 6."""
    missing = selectors.children_missing_registration(today=today)
    if not missing:
        return []
    guardians = selectors.guardians_of(missing.keys(), on=today)
    sent = set(
        ReminderSent.objects.filter(week=reminder_week(today), guardian_id__in=guardians).values_list(
            "guardian_id", flat=True
        )
    )
    return sorted(set(guardians) - sent)


def schedule_reminder_send(*, guardian, today: date | None = None) -> bool:
    """E-mail one guardian about their children's unregistered days, once per ISO week.
    False when nothing is missing (any more) or this week's reminder was already sent."""
    from roster.policy import own_child_ids_q

    today = today or timezone.localdate()
    child_ids = list(own_child_ids_q(guardian, on=today).values_list("child_id", flat=True))
    missing = selectors.children_missing_registration(child_ids=child_ids, today=today)
    if not missing:
        return False
    children = {c.pk: c for c in Child.objects.filter(pk__in=missing)}
    items = [
        {
            "name": children[cid].given_name,
            "days": [_d(d) for d in days],
            "link": settings.SKOLHUBB_SITE_URL.rstrip("/") + reverse("schedules:child-week", args=[cid]),
        }
        for cid, days in sorted(missing.items(), key=lambda kv: children[kv[0]].given_name)
    ]
    # The mark and the outbox message in one transaction: a second run in the same week finds
    # the mark and stores nothing; delivery (and its retries) is the outbox's job.
    with transaction.atomic():
        _row, created = ReminderSent.objects.get_or_create(guardian=guardian, week=reminder_week(today))
        if not created:
            return False
        outbox_email_enqueue(
            template="schedules/emails/reminder",
            context={"user": guardian, "items": items},
            to=[guardian.email],
            dedupe_key=f"schedules-reminder:{guardian.pk}:{reminder_week(today)}",
        )
    return True
