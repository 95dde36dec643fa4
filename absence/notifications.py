"""E-mails from absence: the same-day notice, the next-morning prompt, leave applications.
Every message goes into the outbox (notifications) in the transaction that decided it, and is
delivered from there; nothing here talks to the mail server."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from absence.calendar import child_open_days, placements_calendar
from absence.models import AbsenceReport, LeaveApplication, LessonAttendance, Reason, SameDayNotice
from accounts.models import User
from notifications.services import outbox_email_enqueue
from roster.models import Child, Guardianship, Placement, active_q
from roster.policy import placements_overlapping

# A report that ended before jullov is still asked about on the first day after it.
PROMPT_LOOKBACK_DAYS = 24


def _link(name: str, *args) -> str:
    return settings.SKOLHUBB_SITE_URL.rstrip("/") + reverse(name, args=args)


def _enqueue(template: str, context: dict, to: list[str], *, dedupe_key: str | None = None):
    return outbox_email_enqueue(template=f"absence/emails/{template}", context=context, to=to, dedupe_key=dedupe_key)


def _guardians(child_ids: list[int]) -> dict[int, list[User]]:
    rows = Guardianship.objects.filter(active_q(), child_id__in=child_ids, guardian__is_active=True).select_related(
        "guardian"
    )
    result: dict[int, list[User]] = {}
    for row in rows:
        if row.guardian.email:
            result.setdefault(row.child_id, []).append(row.guardian)
    return result


def same_day_notice_send(*, child_id: int, day: date) -> bool:
    if day != timezone.localdate():
        return False  # a notice that did not go out the same day is no longer a same-day notice
    child = Child.objects.filter(pk=child_id).first()
    if child is None:
        return False
    missed = list(
        LessonAttendance.objects.filter(
            child=child, date=day, status=LessonAttendance.Status.ABSENT, valid=False
        ).select_related("lesson__subject")
    )
    if not missed:
        return False  # corrected before the task ran
    guardians = _guardians([child.pk]).get(child.pk, [])
    try:
        with transaction.atomic():
            SameDayNotice.objects.create(child=child, date=day, recipients=len(guardians))
            if guardians:
                missed.sort(key=lambda a: a.lesson.start_time)
                _enqueue(
                    "same_day_notice",
                    {"child": child, "day": day, "missed": missed, "link": _link("absence:child-history", child.pk)},
                    [g.email for g in guardians],
                    dedupe_key=f"absence-same-day:{child.pk}:{day.isoformat()}",
                )
    except IntegrityError:
        return False  # already sent today
    return True


def same_day_notices_sweep(*, day: date) -> int:
    """Children marked ogiltigt frånvarande today who have no same-day notice yet (the task
    enqueued at registration never ran): send them now. Two queries plus one run per child found."""
    if day != timezone.localdate():
        return 0
    done = SameDayNotice.objects.filter(date=day).values("child_id")
    child_ids = set(
        LessonAttendance.objects.filter(date=day, status=LessonAttendance.Status.ABSENT, valid=False)
        .exclude(child_id__in=done)
        .values_list("child_id", flat=True)
    )
    return sum(same_day_notice_send(child_id=child_id, day=day) for child_id in sorted(child_ids))


def next_morning_prompts_send(*, today: date | None = None) -> int:
    """For sick reports that ended on the child's previous open day (school or care) and do
    not cover today, when today is an open day for the child: ask the guardians whether the
    child is still sick. Lov, studiedagar and holidays come from the school-day calendar
    (roster.calendar), per child. Marks each report so it is asked once."""
    today = today or timezone.localdate()
    since = today - timedelta(days=PROMPT_LOOKBACK_DAYS)
    reports = list(
        AbsenceReport.objects.filter(
            reason=Reason.SJUK,
            end_date__gte=since,
            end_date__lt=today,
            prompt_sent_on__isnull=True,
            leave__isnull=True,
        ).select_related("child")
    )
    if not reports:
        return 0
    child_ids = [r.child_id for r in reports]
    covered_today = set(
        AbsenceReport.objects.filter(child_id__in=child_ids, start_date__lte=today, end_date__gte=today).values_list(
            "child_id", flat=True
        )
    )
    placements = list(placements_overlapping(since, today).filter(child_id__in=child_ids).select_related("unit"))
    calendar = placements_calendar(placements, since, today)
    by_child: dict[int, list[Placement]] = {}
    for p in placements:
        by_child.setdefault(p.child_id, []).append(p)
    due = []
    for report in reports:
        if report.child_id in covered_today:
            continue
        open_days = child_open_days(by_child.get(report.child_id, []), since, today, calendar=calendar)
        if not open_days or open_days[-1] != today:
            continue  # no school or care today: ask on the next open day
        previous = open_days[-2] if len(open_days) > 1 else None
        if previous == report.end_date:
            due.append(report)
    guardians = _guardians([r.child_id for r in due])
    sent = 0
    # One child at a time, each in its own transaction: the report is marked and the prompt
    # stored in the outbox together. A crash halfway leaves the children already done marked
    # (not asked again) and the rest unmarked (asked on the task's retry); the dedupe key also
    # keeps a child with two reports ending yesterday to one prompt.
    for report in due:
        with transaction.atomic():
            claimed = AbsenceReport.objects.filter(pk=report.pk, prompt_sent_on__isnull=True).update(
                prompt_sent_on=today
            )
            if not claimed:
                continue  # another run got here first
            to = [g.email for g in guardians.get(report.child_id, [])]
            message = _enqueue(
                "next_morning_prompt",
                {"child": report.child, "report": report, "link": _link("absence:report-extend", report.pk)},
                to,
                dedupe_key=f"absence-prompt:{report.child_id}:{today.isoformat()}",
            )
            sent += message is not None
    return sent


def leave_email_enqueue(*, application: LeaveApplication, kind: str) -> int:
    """The consent request to the other guardian(s), or the decision to all guardians: stored
    in the outbox inside the caller's transaction."""
    guardians = _guardians([application.child_id]).get(application.child_id, [])
    if kind == "consent":
        to = [g.email for g in guardians if g.pk != application.applied_by_id]
    else:
        to = [g.email for g in guardians]
    if not to:
        return 0
    _enqueue(
        f"leave_{kind}",
        {"application": application, "child": application.child, "link": _link("absence:leave-detail", application.pk)},
        to,
    )
    return len(to)
