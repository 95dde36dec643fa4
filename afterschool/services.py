"""Writes for the holiday-care survey (lovanmälan). Answers become care-schedule days
through the schedules service, so the lock and the opening hours hold here too."""

from __future__ import annotations

from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.services import audit_record
from afterschool import selectors
from afterschool.models import HolidaySurvey, SurveyAnswer
from notifications.services import notify, outbox_email_enqueue
from roster.calendar import lov_periods
from roster.models import Guardianship, Unit, active_q
from roster.policy import is_own_child, is_principal_of
from schedules.models import DayEntry
from schedules.selectors import schedule_version
from schedules.services import check_times, schedule_days_set


def _d(day: date) -> str:
    return date_format(day, "j F Y")


def survey_open(*, unit: Unit, opened_by, lov_start: date, deadline: date, today: date | None = None) -> HolidaySurvey:
    """The principal opens a survey for one of the unit's lov periods. Fritidshem always;
    förskola for the summer (sommarlov) only."""
    today = today or timezone.localdate()
    if not is_principal_of(opened_by, unit.pk):
        raise PermissionDenied
    lov = next(
        (p for p in lov_periods(start=lov_start, end=lov_start, unit=unit) if p.start == lov_start),
        None,
    )
    if lov is None:
        raise ValidationError({"lov": _("Välj ett lov i kalendern.")})
    if unit.kind == Unit.Kind.GRUNDSKOLA or (unit.kind == Unit.Kind.FORSKOLA and lov.kind != "sommarlov"):
        raise ValidationError({"lov": _("Lovanmälan görs för fritidshem, och för förskola till sommaren.")})
    if deadline < today:
        raise ValidationError({"deadline": _("Sista svarsdag kan inte ligga bakåt i tiden.")})
    if deadline >= lov.start:
        raise ValidationError(
            {"deadline": _("Sista svarsdag ska vara före lovet börjar (%(day)s).") % {"day": _d(lov.start)}}
        )
    with transaction.atomic():
        if HolidaySurvey.objects.filter(unit=unit, start_date=lov.start, end_date=lov.end).exists():
            raise ValidationError({"lov": _("Det finns redan en lovanmälan för det lovet.")})
        survey = HolidaySurvey.objects.create(
            unit=unit,
            lov_kind=lov.kind,
            title=_("Lovanmälan %(lov)s") % {"lov": lov.label.lower()},
            start_date=lov.start,
            end_date=lov.end,
            deadline=deadline,
            opened_by=opened_by,
        )
        guardians = _guardians_of([c.pk for c in selectors.survey_children(survey)])
        notify(
            recipients=guardians,
            kind="afterschool.survey_open",
            title=_("%(title)s: svara senast %(day)s") % {"title": survey.title, "day": _d(deadline)},
            url=reverse("afterschool:overview"),
            source=survey,
        )
        _bump_units([unit.pk])
    return survey


def _guardians_of(child_ids):
    from accounts.models import User

    return list(
        User.objects.filter(
            pk__in=Guardianship.objects.filter(active_q(), child_id__in=child_ids).values("guardian_id")
        )
    )


def _bump_units(unit_ids):
    from hub.cache import bump

    bump(unit_ids=unit_ids)


def survey_answer(
    *,
    survey: HolidaySurvey,
    child,
    answered_by,
    answers: dict[date, tuple[bool, time | None, time | None]],
    today: date | None = None,
) -> int:
    """A guardian answers for every care day of the lov: care with times, or ledig. Until
    the deadline; the days become the child's care schedule (the lock holds). Returns the
    number of days answered."""
    today = today or timezone.localdate()
    if not is_own_child(answered_by, child.pk):
        raise PermissionDenied
    if child.pk not in {c.pk for c in selectors.survey_children(survey)}:
        raise ValidationError(
            _("%(name)s har ingen plats på %(unit)s under lovet.")
            % {"name": child.given_name, "unit": survey.unit.name}
        )
    if today > survey.deadline:
        raise ValidationError(
            _("Sista dag att svara var %(day)s. Kontakta fritidshemmet.") % {"day": _d(survey.deadline)}
        )
    days = selectors.survey_days(survey)
    missing = [d for d in days if d not in answers]
    if missing:
        raise ValidationError(
            _("Svara för varje dag (saknas: %(days)s).") % {"days": ", ".join(_d(d) for d in missing[:3])}
        )
    errors = {}
    for day in days:
        needs, start, end = answers[day]
        if needs:
            try:
                check_times(
                    start=start,
                    end=end,
                    unit=survey.unit,
                    start_field=f"start_{day:%Y%m%d}",
                    end_field=f"end_{day:%Y%m%d}",
                )
            except ValidationError as exc:
                errors.update(exc.error_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        existing = selectors.answers_for(survey, child)
        for day in days:
            needs, start, end = answers[day]
            row = existing.get(day) or SurveyAnswer(survey=survey, child=child, day=day)
            row.needs_care, row.answered_by = needs, answered_by
            row.start_time, row.end_time = (start, end) if needs else (None, None)
            row.save()
        # Consecutive days with the same answer become one range in the care schedule.
        ranges: list[list] = []
        for day in days:
            key = answers[day] if answers[day][0] else (False, None, None)
            if ranges and ranges[-1][2] == key and (day - ranges[-1][1]).days <= 3:
                ranges[-1][1] = day
            else:
                ranges.append([day, day, key])
        for start_day, end_day, (needs, start, end) in ranges:
            schedule_days_set(
                child=child,
                actor=answered_by,
                start_date=start_day,
                end_date=end_day,
                kind=DayEntry.Kind.TIMES if needs else DayEntry.Kind.LEDIG,
                start_time=start,
                end_time=end,
                version=schedule_version(child=child),
            )
        audit_record(actor=answered_by, action="change", obj=survey, child_id=child.pk, details={"days": len(days)})
        _bump_units([survey.unit_id])
    return len(days)


def survey_remind(*, survey: HolidaySurvey, today: date | None = None) -> int:
    """E-mail the guardians of children who have not answered (once per guardian and day,
    through the outbox). Returns the number of e-mails queued."""
    today = today or timezone.localdate()
    if today > survey.deadline:
        return 0
    children = selectors.survey_children(survey)
    answered = {c for _s, c in selectors.answered_child_ids([survey.pk], [c.pk for c in children])}
    waiting = [c for c in children if c.pk not in answered]
    by_guardian: dict[int, tuple] = {}
    for g in Guardianship.objects.filter(active_q(), child__in=waiting).select_related("guardian", "child"):
        by_guardian.setdefault(g.guardian_id, (g.guardian, []))[1].append(g.child.given_name)
    queued = 0
    for guardian, names in by_guardian.values():
        message = outbox_email_enqueue(
            template="afterschool/emails/reminder",
            context={"guardian": guardian, "survey": survey, "names": names, "deadline": survey.deadline},
            to=[guardian.email],
            dedupe_key=f"lovanmalan:{survey.pk}:{guardian.pk}:{today.isoformat()}",
        )
        queued += message is not None
    return queued
