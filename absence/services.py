"""Writes for absence reports, lesson attendance and leave applications.

Each service validates (a Swedish ValidationError, nothing stored), writes, and enqueues
its e-mail after commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from absence import cache
from absence.calendar import child_open_days, placements_calendar, school_days
from absence.integrations import care_schedule_sync
from absence.models import AbsenceReport, LeaveApplication, LessonAttendance, Reason
from absence.notifications import leave_email_enqueue
from accounts.models import AuditEvent
from accounts.services import audit_record
from hub.cache import bump
from hub.registry import ABSENCE  # reports and leave: only the boxes that show them reload
from roster.dates import day_label
from roster.models import Child, GroupStaff, Guardianship, Placement, Unit, active_q
from roster.policy import own_child_ids, placements_overlapping, principal_unit_ids_q
from school.models import Lesson

CREATE, CHANGE, DELETE = AuditEvent.Action.CREATE, AuditEvent.Action.CHANGE, AuditEvent.Action.DELETE


# --- Absence reports ------------------------------------------------------------------------


# What the staff's day list and check-in tablet show for a reported day. Stored text in
# Swedish (like a note staff would write), whatever language the guardian used.
CARE_NOTES = {Reason.SJUK: "Sjukanmäld", Reason.LEDIG: "Ledig", Reason.ANNAT: "Frånvaroanmäld"}


def care_note(reason: str) -> str:
    return CARE_NOTES.get(reason, "Frånvaroanmäld")


def _placements_between(child_ids: list[int], start: date, end: date) -> list[Placement]:
    """One query: placements overlapping [start, end], with their unit."""
    return list(placements_overlapping(start, end).filter(child_id__in=child_ids).select_related("unit"))


def _covering(placements: list[Placement], day: date) -> list[Placement]:
    return [p for p in placements if p.start_date <= day and (p.end_date is None or p.end_date >= day)]


def _is_school_child_on(placements: list[Placement], day: date) -> bool:
    return any(p.unit.kind == Unit.Kind.GRUNDSKOLA for p in _covering(placements, day))


def _validate_report(
    *,
    children: list[Child],
    start_date: date,
    end_date: date,
    start_time: time | None,
    end_time: time | None,
    reason: str,
    comment: str,
    allow_past_start: bool = False,
) -> None:
    """Two queries at most: placements and, for 'ledig', approved leave."""
    today = timezone.localdate()
    if not children:
        raise ValidationError({"children": _("Välj minst ett barn.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})
    if start_date < today and not allow_past_start:
        raise ValidationError({"start_date": _("Frånvaro kan inte anmälas för dagar som redan har varit.")})
    if (start_time is None) != (end_time is None):
        raise ValidationError({"start_time": _("Ange både från- och till-tid när barnet är borta en del av dagen.")})
    if start_time is not None and end_time <= start_time:
        raise ValidationError({"end_time": _("Till-tiden måste vara efter från-tiden.")})
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Välj en orsak.")})
    if reason == Reason.ANNAT and not comment.strip():
        raise ValidationError({"comment": _("Skriv en kort kommentar när orsaken är Annat.")})
    if (end_date - start_date).days > 366:
        raise ValidationError({"end_date": _("En anmälan kan gälla högst ett år.")})
    placements = _placements_between([c.pk for c in children], start_date, end_date)
    by_child: dict[int, list[Placement]] = {}
    for p in placements:
        by_child.setdefault(p.child_id, []).append(p)
    calendar = placements_calendar(placements, start_date, end_date)
    limit = settings.SKOLHUBB_ABSENCE_REPORT_MAX_DAYS
    for child in children:
        mine = by_child.get(child.pk, [])
        day = start_date
        while day <= end_date:
            if not _covering(mine, day):
                raise ValidationError(
                    {
                        "start_date": _("%(name)s har ingen placering den %(day)s.")
                        % {"name": child.given_name, "day": day_label(day)}
                    }
                )
            day += timedelta(days=1)
        # A range may end on a weekend or a holiday (the open days inside it count), but it
        # must hold at least one day with school or care.
        open_days = child_open_days(mine, start_date, end_date, calendar=calendar)
        if not open_days:
            message = (
                _("%(name)s har varken skola eller omsorg den %(day)s.")
                % {"name": child.given_name, "day": day_label(start_date)}
                if start_date == end_date
                else _("%(name)s har varken skola eller omsorg någon av dagarna.") % {"name": child.given_name}
            )
            raise ValidationError({"start_date": message})
        if len(open_days) > limit:
            raise ValidationError(
                {
                    "end_date": _(
                        "En frånvaroanmälan kan gälla högst %(max)s skol- eller omsorgsdagar. "
                        "Kontakta skolan vid längre frånvaro."
                    )
                    % {"max": limit}
                }
            )
        if reason == Reason.LEDIG and _is_school_child_on(mine, start_date):
            approved = LeaveApplication.objects.filter(
                child=child,
                state=LeaveApplication.State.APPROVED,
                start_date__lte=start_date,
                end_date__gte=end_date,
            ).exists()
            if not approved:
                raise ValidationError(
                    {"reason": _("Ledig kan bara anges för beviljad ledighet. Ansök om ledighet först.")}
                )


def _require_guardian(*, user, children: list[Child]) -> None:
    """One query: the user has an active guardianship of every child (a student cannot report)."""
    ids = own_child_ids(user, [c.pk for c in children])
    if any(c.pk not in ids for c in children):
        raise PermissionDenied(_("Bara vårdnadshavare kan anmäla frånvaro."))


def _lock_children(child_ids) -> None:
    """Serialise writes about these children (one SELECT … FOR UPDATE, in pk order so two
    transactions locking overlapping sets cannot deadlock). Must run inside a transaction."""
    list(Child.objects.select_for_update().filter(pk__in=list(child_ids)).order_by("pk").values_list("pk"))


def _locked_report(report: AbsenceReport) -> AbsenceReport:
    """The report re-read under the child's lock: a parallel merge may have folded it into
    another report (deleted it) or changed it since the form was shown."""
    _lock_children([report.child_id])
    fresh = AbsenceReport.objects.filter(pk=report.pk).first()
    if fresh is None:
        raise ValidationError(_("Anmälan har ändrats eller slagits ihop med en annan. Ladda om sidan."))
    for field in ("start_date", "end_date", "start_time", "end_time", "reason", "comment", "leave_id", "created_at"):
        setattr(report, field, getattr(fresh, field))
    return report


def _merge_into(report: AbsenceReport, others: list[AbsenceReport]) -> AbsenceReport:
    """Fold overlapping reports into `report` (already holding the newest values) and delete them."""
    for other in others:
        report.start_date = min(report.start_date, other.start_date)
        report.end_date = max(report.end_date, other.end_date)
        if report.whole_day or other.whole_day:
            report.start_time = report.end_time = None
        else:
            report.start_time = min(report.start_time, other.start_time)
            report.end_time = max(report.end_time, other.end_time)
        if not report.comment:
            report.comment = other.comment
    return report


def _overlapping(child: Child, start: date, end: date, *, exclude_pk=None) -> list[AbsenceReport]:
    """Guardian reports that overlap [start, end] or touch it by a day (leave reports stay apart)."""
    qs = AbsenceReport.objects.filter(
        child=child,
        leave__isnull=True,
        start_date__lte=end + timedelta(days=1),
        end_date__gte=start - timedelta(days=1),
    ).order_by("created_at")
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(qs)


def _mergeable(report: AbsenceReport, other: AbsenceReport) -> bool:
    """Only reports that say the same thing merge: the same reason and comment. A sick report
    for Monday–Tuesday and "Annat: Tandläkare" on Tuesday stay two reports, so Monday is
    never relabelled."""
    if other.reason != report.reason or other.comment.strip().lower() != report.comment.strip().lower():
        return False
    overlaps = other.start_date <= report.end_date and other.end_date >= report.start_date
    if overlaps:
        return True
    # Touching ranges merge only when both are whole days.
    return other.whole_day and report.whole_day


def absence_report_create(
    *,
    children: list[Child],
    reported_by,
    start_date: date,
    end_date: date,
    reason: str,
    start_time: time | None = None,
    end_time: time | None = None,
    comment: str = "",
) -> list[AbsenceReport]:
    """One report per child; reporting days already reported merges into the existing report."""
    comment = comment.strip()
    _require_guardian(user=reported_by, children=children)
    _validate_report(
        children=children,
        start_date=start_date,
        end_date=end_date,
        start_time=start_time,
        end_time=end_time,
        reason=reason,
        comment=comment,
    )
    results = []
    with transaction.atomic():
        # Serialise reports for the same children, so two taps (or two guardians at once)
        # cannot create two rows: the second sees the first's report and merges into it.
        _lock_children([c.pk for c in children])
        for child in children:
            report = AbsenceReport(
                child=child,
                reported_by=reported_by,
                start_date=start_date,
                end_date=end_date,
                start_time=start_time,
                end_time=end_time,
                reason=reason,
                comment=comment,
            )
            nearby = _overlapping(child, start_date, end_date)
            others = [o for o in nearby if _mergeable(report, o)]
            # What happened, for the message to the guardian (not stored).
            report.merged_count = len(others)
            report.kept_apart = [
                o for o in nearby if o not in others and o.start_date <= end_date and o.end_date >= start_date
            ]
            if others:
                keep = others[0]
                report.pk, report.created_at = keep.pk, keep.created_at
                _merge_into(report, others)
                AbsenceReport.objects.filter(pk__in=[o.pk for o in others[1:]]).delete()
            report.save()
            results.append(report)
            audit_record(actor=reported_by, action=CREATE, obj=report, child_id=child.pk)
            transaction.on_commit(
                # Days that have been are history for the care schedule too: sync from today on.
                lambda r=report: care_schedule_sync(
                    child=r.child,
                    start_date=max(r.start_date, timezone.localdate()),
                    end_date=r.end_date,
                    absent=True,
                    note=care_note(r.reason),
                )
            )
        bump(child_ids=[c.pk for c in children], topic=ABSENCE)
    return results


def report_is_changeable(report: AbsenceReport) -> bool:
    return report.leave_id is None and report.end_date >= timezone.localdate()


def absence_report_update(
    *,
    report: AbsenceReport,
    changed_by,
    start_date: date,
    end_date: date,
    reason: str,
    start_time: time | None = None,
    end_time: time | None = None,
    comment: str = "",
) -> AbsenceReport:
    """Change a report that is not over yet. Days that have been cannot be moved."""
    today = timezone.localdate()
    comment = comment.strip()
    _require_guardian(user=changed_by, children=[report.child])
    if not report_is_changeable(report):
        raise ValidationError(_("Anmälan gäller dagar som redan har varit och kan inte ändras."))
    if report.start_date < today and start_date != report.start_date:
        raise ValidationError({"start_date": _("Startdatum kan inte ändras när frånvaron redan har börjat.")})
    _validate_report(
        children=[report.child],
        start_date=start_date,
        end_date=end_date,
        start_time=start_time,
        end_time=end_time,
        reason=reason,
        comment=comment,
        allow_past_start=start_date == report.start_date,
    )
    with transaction.atomic():
        _locked_report(report)
        old = (report.start_date, report.end_date)
        report.start_date, report.end_date = start_date, end_date
        report.start_time, report.end_time = start_time, end_time
        report.reason, report.comment = reason, comment
        others = [
            o for o in _overlapping(report.child, start_date, end_date, exclude_pk=report.pk) if _mergeable(report, o)
        ]
        _merge_into(report, others)
        AbsenceReport.objects.filter(pk__in=[o.pk for o in others]).delete()
        report.prompt_sent_on = None
        report.save()
        audit_record(actor=changed_by, action=CHANGE, obj=report, child_id=report.child_id)
        bump(child_ids=[report.child_id], topic=ABSENCE)
        _sync_change(report, old)
    return report


def _sync_change(report: AbsenceReport, old: tuple[date, date]) -> None:
    old_start, old_end = old

    def sync():
        today = timezone.localdate()
        # Days no longer reported become present again (only those not yet over).
        freed_start = max(old_start, today)
        if old_end > report.end_date:
            care_schedule_sync(
                child=report.child,
                start_date=max(freed_start, report.end_date + timedelta(days=1)),
                end_date=old_end,
                absent=False,
            )
        if old_start < report.start_date and freed_start < report.start_date:
            care_schedule_sync(
                child=report.child, start_date=freed_start, end_date=report.start_date - timedelta(days=1), absent=False
            )
        care_schedule_sync(
            child=report.child, start_date=max(report.start_date, today), end_date=report.end_date, absent=True
        )

    transaction.on_commit(sync)


def absence_report_end(*, report: AbsenceReport, ended_by, back_on: date) -> AbsenceReport | None:
    """Friskanmälan: the child is back from `back_on`. Returns None when nothing is left of the report."""
    today = timezone.localdate()
    _require_guardian(user=ended_by, children=[report.child])
    if not report_is_changeable(report):
        raise ValidationError(_("Anmälan gäller dagar som redan har varit och kan inte ändras."))
    if back_on < today:
        raise ValidationError({"back_on": _("Friskanmälan kan inte gälla dagar som redan har varit.")})
    if back_on > report.end_date:
        raise ValidationError({"back_on": _("Anmälan slutar redan före det datumet.")})
    with transaction.atomic():
        _locked_report(report)
        if back_on > report.end_date:
            raise ValidationError({"back_on": _("Anmälan slutar redan före det datumet.")})
        old = (report.start_date, report.end_date)
        if back_on <= report.start_date:
            child = report.child
            audit_record(actor=ended_by, action=DELETE, obj=report, child_id=report.child_id)
            report.delete()
            bump(child_ids=[child.pk], topic=ABSENCE)
            transaction.on_commit(
                lambda: care_schedule_sync(child=child, start_date=old[0], end_date=old[1], absent=False)
            )
            return None
        report.end_date = back_on - timedelta(days=1)
        report.save(update_fields=["end_date", "updated_at"])
        audit_record(
            actor=ended_by, action=CHANGE, obj=report, child_id=report.child_id, details={"back_on": str(back_on)}
        )
        bump(child_ids=[report.child_id], topic=ABSENCE)
        transaction.on_commit(
            lambda: care_schedule_sync(child=report.child, start_date=back_on, end_date=old[1], absent=False)
        )
    return report


def absence_report_extend(*, report: AbsenceReport, extended_by, until: date) -> AbsenceReport:
    """'Sjuk idag också' from the next-morning prompt: the report now reaches `until`."""
    _require_guardian(user=extended_by, children=[report.child])
    if report.leave_id is not None:
        raise ValidationError(_("En beviljad ledighet kan inte förlängas här."))
    if report.end_date >= until:
        return report
    if until > timezone.localdate() + timedelta(days=1):
        raise ValidationError(_("Förlängningen kan bara gälla idag."))
    _validate_report(
        children=[report.child],
        start_date=until,
        end_date=until,
        start_time=report.start_time,
        end_time=report.end_time,
        reason=report.reason,
        comment=report.comment or "-",
    )
    with transaction.atomic():
        _locked_report(report)
        if report.end_date >= until:
            return report
        old = (report.start_date, report.end_date)
        report.end_date = until
        others = [o for o in _overlapping(report.child, report.start_date, until, exclude_pk=report.pk)]
        others = [o for o in others if _mergeable(report, o)]
        _merge_into(report, others)
        AbsenceReport.objects.filter(pk__in=[o.pk for o in others]).delete()
        report.save()
        audit_record(
            actor=extended_by, action=CHANGE, obj=report, child_id=report.child_id, details={"until": str(until)}
        )
        bump(child_ids=[report.child_id], topic=ABSENCE)
        _sync_change(report, old)
    return report


# --- Lesson attendance ----------------------------------------------------------------------


@dataclass
class Mark:
    child_id: int
    status: str
    late_minutes: int = 0
    valid: bool = False


def lesson_attendance_save(*, lesson: Lesson, day: date, registered_by, marks: list[Mark], pupil_ids: set[int]) -> int:
    """One INSERT … ON CONFLICT UPDATE for the whole group; then one same-day notice task per
    pupil marked ogiltigt frånvarande (the task sends at most one e-mail per child and day).
    `pupil_ids` are the group's pupils on `day` (from selectors.attendance_sheet)."""
    from absence.tasks import same_day_notice_enqueue

    if day > timezone.localdate():
        raise ValidationError(_("Närvaro kan inte registreras i förväg."))
    unknown = [m.child_id for m in marks if m.child_id not in pupil_ids]
    if unknown:
        raise ValidationError(_("Eleven går inte i gruppen."))
    for mark in marks:
        if mark.status not in LessonAttendance.Status.values:
            raise ValidationError(_("Välj närvarande, frånvarande eller sen för varje elev."))
        if mark.status == LessonAttendance.Status.LATE and not (0 < mark.late_minutes <= lesson.minutes):
            raise ValidationError(_("Ange hur många minuter eleven var sen (1–%(max)s).") % {"max": lesson.minutes})
    now = timezone.now()
    rows = [
        LessonAttendance(
            lesson=lesson,
            date=day,
            child_id=m.child_id,
            status=m.status,
            late_minutes=m.late_minutes if m.status == LessonAttendance.Status.LATE else 0,
            valid=m.valid if m.status != LessonAttendance.Status.PRESENT else False,
            registered_by=registered_by,
            created_at=now,
            updated_at=now,
        )
        for m in marks
    ]
    invalid = sum(r.status == LessonAttendance.Status.ABSENT and not r.valid for r in rows)
    # The upsert and its audit row commit together; the upsert itself (ON CONFLICT UPDATE)
    # is safe against a parallel save of the same sheet: the last one wins, row by row.
    # savepoint=False: inside a caller's transaction this adds no SAVEPOINT round trips.
    with transaction.atomic(savepoint=False):
        LessonAttendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["lesson", "date", "child"],
            update_fields=["status", "late_minutes", "valid", "registered_by", "updated_at"],
        )
        # One audit row for the whole registration (not one per pupil: the save stays constant).
        audit_record(
            actor=registered_by,
            action=CHANGE,
            obj=lesson,
            details={"date": day.isoformat(), "pupils": len(rows), "ogiltig": invalid},
        )
        # The unit's cached statistics and attendance sheets (absence/cache.py) show these.
        # lesson.group is loaded with the lesson (access.get_lesson_for_staff): no query.
        cache.attendance_changed(unit_ids=[lesson.group.unit_id])
        if day == timezone.localdate():
            for row in rows:
                if row.status == LessonAttendance.Status.ABSENT and not row.valid:
                    transaction.on_commit(lambda cid=row.child_id: same_day_notice_enqueue(cid, day))
    return len(rows)


# --- Leave applications -----------------------------------------------------------------


def _other_guardian_ids(child: Child, applicant) -> list[int]:
    return list(
        Guardianship.objects.filter(active_q(), child=child)
        .exclude(guardian=applicant)
        .values_list("guardian_id", flat=True)
    )


def leave_apply(*, child: Child, applied_by, start_date: date, end_date: date, reason: str) -> LeaveApplication:
    today = timezone.localdate()
    reason = reason.strip()
    _require_guardian(user=applied_by, children=[child])
    if start_date < today:
        raise ValidationError({"start_date": _("Ledighet kan inte sökas för dagar som redan har varit.")})
    if end_date < start_date:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})
    if not reason:
        raise ValidationError({"reason": _("Skriv varför ni söker ledighet.")})
    placements = _placements_between([child.pk], start_date, end_date)
    if not _is_school_child_on(placements, start_date) or not _is_school_child_on(placements, end_date):
        raise ValidationError({"start_date": _("Ledighet söks bara för elever i grundskolan under skolplaceringen.")})
    # Counted by the school-day calendar: weekends, holidays, studiedagar and lov are not
    # school days (19 dec–6 jan over jullov is one school day, not eight).
    days = len(school_days(placements, start_date, end_date))
    if days == 0:
        raise ValidationError({"start_date": _("Det finns inga skoldagar under de datumen.")})
    if days > settings.SKOLHUBB_LEAVE_MAX_DAYS:
        raise ValidationError(
            {
                "end_date": _(
                    "Ledighet kan sökas för högst %(max)s skoldagar åt gången (de här datumen är %(days)s skoldagar)."
                )
                % {"max": settings.SKOLHUBB_LEAVE_MAX_DAYS, "days": days}
            }
        )
    with transaction.atomic():
        # Two parallel applications for the same days: the second waits here and then sees the first.
        _lock_children([child.pk])
        return _leave_create(
            child=child, applied_by=applied_by, start_date=start_date, end_date=end_date, reason=reason, days=days
        )


def _leave_create(*, child, applied_by, start_date, end_date, reason, days) -> LeaveApplication:
    overlap = LeaveApplication.objects.filter(
        child=child,
        state__in=[
            LeaveApplication.State.AWAITING_CONSENT,
            LeaveApplication.State.PENDING,
            LeaveApplication.State.APPROVED,
        ],
        start_date__lte=end_date,
        end_date__gte=start_date,
    ).exists()
    if overlap:
        raise ValidationError({"start_date": _("Det finns redan en ansökan som gäller några av de dagarna.")})
    others = _other_guardian_ids(child, applied_by)
    application = LeaveApplication.objects.create(
        child=child,
        applied_by=applied_by,
        start_date=start_date,
        end_date=end_date,
        reason=reason,
        school_days=days,
        state=LeaveApplication.State.AWAITING_CONSENT if others else LeaveApplication.State.PENDING,
    )
    audit_record(actor=applied_by, action=CREATE, obj=application, child_id=child.pk)
    bump(child_ids=[child.pk], topic=ABSENCE)
    if others:
        leave_email_enqueue(application=application, kind="consent")
    return application


def leave_consent(*, application: LeaveApplication, by, agree: bool) -> LeaveApplication:
    if by.pk == application.applied_by_id or by.pk not in _other_guardian_ids(
        application.child, application.applied_by
    ):
        raise PermissionDenied(_("Bara den andra vårdnadshavaren kan samtycka."))
    with transaction.atomic():
        _lock_application(application)
        if application.state != LeaveApplication.State.AWAITING_CONSENT:
            raise ValidationError(_("Ansökan väntar inte på samtycke."), code="already_answered")
        return _leave_consent_store(application=application, by=by, agree=agree)


def _lock_application(application: LeaveApplication) -> LeaveApplication:
    """Re-read the application's state under a row lock (SELECT … FOR UPDATE): of parallel
    answers or decisions, the first commits and the others see its result."""
    fresh = LeaveApplication.objects.select_for_update().get(pk=application.pk)
    for field in ("state", "consent_by_id", "consent_at", "decided_by_id", "decided_at", "decision_comment"):
        setattr(application, field, getattr(fresh, field))
    return application


def _leave_consent_store(*, application: LeaveApplication, by, agree: bool) -> LeaveApplication:
    application.consent_by = by
    application.consent_at = timezone.now()
    if agree:
        application.state = LeaveApplication.State.PENDING
    else:
        application.state = LeaveApplication.State.WITHDRAWN
        application.decision_comment = _("Den andra vårdnadshavaren samtyckte inte.")
        leave_email_enqueue(application=application, kind="decision")
    application.save()
    audit_record(actor=by, action=CHANGE, obj=application, child_id=application.child_id, details={"consent": agree})
    bump(child_ids=[application.child_id], topic=ABSENCE)
    return application


def leave_decider_role(*, user, application: LeaveApplication) -> str | None:
    """'rektor', 'mentor' or None. Three queries at most. The mentor decides short leave only."""
    if user.is_superuser:
        return "rektor"
    rows = list(
        Placement.objects.filter(active_q() | active_q(on=application.start_date), child=application.child)
        .filter(unit__kind=Unit.Kind.GRUNDSKOLA)
        .values_list("unit_id", "group_id")
    )
    unit_ids = {unit_id for unit_id, _group in rows}
    group_ids = {group_id for _unit, group_id in rows if group_id}
    if principal_unit_ids_q(user).filter(unit_id__in=unit_ids).exists():
        return "rektor"
    is_mentor = GroupStaff.objects.filter(
        active_q(), user=user, role=GroupStaff.Role.MENTOR, group_id__in=group_ids
    ).exists()
    if is_mentor and application.school_days <= settings.SKOLHUBB_LEAVE_MENTOR_MAX_DAYS:
        return "mentor"
    return None


def leave_decide(*, application: LeaveApplication, by, approve: bool, comment: str = "") -> LeaveApplication:
    if leave_decider_role(user=by, application=application) is None:
        raise PermissionDenied(_("Bara rektor (eller mentor för kortare ledighet) kan besluta."))
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": _("Skriv en motivering när ansökan avslås.")})
    with transaction.atomic():
        _lock_application(application)
        if application.state in (LeaveApplication.State.APPROVED, LeaveApplication.State.REJECTED):
            raise ValidationError(_("Ansökan är redan beslutad."), code="already_decided")
        if application.state != LeaveApplication.State.PENDING:
            raise ValidationError(_("Ansökan väntar inte på beslut."))
        application.state = LeaveApplication.State.APPROVED if approve else LeaveApplication.State.REJECTED
        application.decided_by = by
        application.decided_at = timezone.now()
        application.decision_comment = comment
        application.save()
        if approve:
            report = AbsenceReport.objects.create(
                child=application.child,
                reported_by=application.applied_by,
                start_date=application.start_date,
                end_date=application.end_date,
                reason=Reason.LEDIG,
                comment=_("Beviljad ledighet"),
                leave=application,
            )
            transaction.on_commit(
                lambda: care_schedule_sync(
                    child=report.child,
                    start_date=report.start_date,
                    end_date=report.end_date,
                    absent=True,
                    note=care_note(Reason.LEDIG),
                )
            )
        leave_email_enqueue(application=application, kind="decision")
        bump(child_ids=[application.child_id], topic=ABSENCE)
        audit_record(
            actor=by,
            action=CHANGE,
            obj=application,
            child_id=application.child_id,
            details={"state": application.state},
        )
    return application
