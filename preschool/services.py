"""Writes for the preschool e-services: validated, audited, one transaction each."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.services import audit_record
from hub.cache import bump
from notifications.services import notify
from preschool.fees import CARE_KINDS
from preschool.models import IncomeReport, PlacementNotice
from preschool.selectors import month_start, notice_months_for
from roster.models import Guardianship, Placement, StaffDuty, active_q

MAX_MONTHLY_INCOME = 10_000_000  # anything above is a typing error, not an income


def _d(day: date) -> str:
    return date_format(day, "j F Y")


def _add_months(day: date, months: int) -> date:
    import calendar

    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def income_report_create(
    *,
    reported_by,
    children: list,
    co_guardians: list,
    monthly_income: int | None,
    highest_fee: bool,
    valid_from: date,
    other_adults: str = "",
    today: date | None = None,
) -> IncomeReport:
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not children:
        errors["children"] = [_("Välj minst ett barn.")]
    own = set(
        Guardianship.objects.filter(active_q(), guardian=reported_by, child__in=children).values_list(
            "child_id", flat=True
        )
    )
    if any(child.pk not in own for child in children):
        raise PermissionDenied  # a crafted request for someone else's child
    in_care = set(
        Placement.objects.filter(active_q(), child__in=children, unit__kind__in=CARE_KINDS).values_list(
            "child_id", flat=True
        )
    )
    outside = [c for c in children if c.pk not in in_care]
    if outside:
        errors.setdefault("children", []).append(
            _("%(names)s har ingen plats i förskola eller fritidshem.")
            % {"names": ", ".join(c.given_name for c in outside)}
        )
    co_ok = set(
        Guardianship.objects.filter(active_q(), child__in=children, guardian__in=co_guardians).values_list(
            "guardian_id", flat=True
        )
    )
    if any(g.pk not in co_ok for g in co_guardians):
        errors["co_guardians"] = [_("Bara barnens andra vårdnadshavare kan ingå i hushållet här.")]
    if highest_fee and monthly_income is not None:
        errors["monthly_income"] = [_("Ange inkomst eller välj högsta avgift, inte båda.")]
    elif not highest_fee and monthly_income is None:
        errors["monthly_income"] = [_("Ange hushållets inkomst per månad före skatt, eller välj högsta avgift.")]
    elif monthly_income is not None and not 0 <= monthly_income <= MAX_MONTHLY_INCOME:
        errors["monthly_income"] = [_("Inkomsten ska vara mellan 0 och 10 000 000 kr per månad.")]
    if valid_from.day != 1:
        errors["valid_from"] = [_("Inkomstuppgiften gäller från den första i en månad.")]
    elif valid_from < month_start(today):
        errors["valid_from"] = [_("En ny inkomstuppgift kan gälla från innevarande månad eller senare.")]
    elif valid_from > _add_months(month_start(today), 12):
        errors["valid_from"] = [_("Välj en månad inom det närmaste året.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = IncomeReport.objects.create(
            reported_by=reported_by,
            monthly_income=None if highest_fee else monthly_income,
            highest_fee=highest_fee,
            valid_from=valid_from,
            other_adults=other_adults.strip()[:200],
        )
        report.children.set(children)
        bump(child_ids=[c.pk for c in children])
        report.guardians.set({reported_by, *co_guardians})
        for child in children:
            audit_record(actor=reported_by, action="create", obj=report, child_id=child.pk)
        others = [g for g in co_guardians if g.pk != reported_by.pk]
        notify(
            recipients=others,
            kind="preschool.income_report",
            title=_("Ny inkomstuppgift för hushållet från %(month)s") % {"month": date_format(valid_from, "F Y")},
            url=reverse("preschool:overview"),
            source=report,
        )
    return report


def placement_notice_give(*, placement: Placement, given_by, requested_last_day: date, today: date | None = None):
    """A guardian ends a place. The unit's notice period applies: the last day is the
    requested one, or the first day the notice period allows, whichever is later."""
    today = today or timezone.localdate()
    if not Guardianship.objects.filter(active_q(), guardian=given_by, child_id=placement.child_id).exists():
        raise PermissionDenied
    if placement.unit.kind not in CARE_KINDS:
        raise ValidationError(_("Bara platser i förskola och fritidshem sägs upp här."))
    if requested_last_day < today:
        raise ValidationError({"requested_last_day": _("Sista dagen kan inte ligga bakåt i tiden.")})
    months = notice_months_for(placement.unit_id)
    earliest = _add_months(today, months)
    last_day = max(requested_last_day, earliest)
    with transaction.atomic():
        locked = Placement.objects.select_for_update().get(pk=placement.pk)
        if locked.end_date is not None and locked.end_date < today:
            raise ValidationError(_("Platsen har redan upphört."))
        if PlacementNotice.objects.filter(placement=locked, state=PlacementNotice.State.PENDING).exists():
            raise ValidationError(_("Platsen är redan uppsagd och väntar på rektorns bekräftelse."))
        notice = PlacementNotice.objects.create(
            placement=locked,
            given_by=given_by,
            requested_last_day=requested_last_day,
            last_day=last_day,
            notice_months=months,
        )
        audit_record(actor=given_by, action="create", obj=notice, child_id=placement.child_id)
        principals = [
            d.user
            for d in StaffDuty.objects.filter(
                active_q(), unit_id=placement.unit_id, role=StaffDuty.Role.REKTOR
            ).select_related("user")
        ]
        notify(
            recipients=principals,
            kind="preschool.notice_given",
            title=_("Uppsägning av plats: %(child)s, sista dag %(day)s")
            % {"child": placement.child.given_name, "day": _d(last_day)},
            url=reverse("preschool:notices"),
            child=placement.child,
            source=notice,
        )
    return notice


def placement_notice_confirm(*, notice: PlacementNotice, confirmed_by) -> PlacementNotice:
    """The principal confirms: the placement ends on the last day (care schedules after it
    are refused by the schedules service, which only accepts days inside a placement)."""
    with transaction.atomic():
        notice = PlacementNotice.objects.select_for_update().select_related("placement__child").get(pk=notice.pk)
        if notice.state != PlacementNotice.State.PENDING:
            raise ValidationError(_("Uppsägningen är redan hanterad."))
        notice.state = PlacementNotice.State.CONFIRMED
        notice.confirmed_by = confirmed_by
        notice.confirmed_at = timezone.now()
        notice.save(update_fields=["state", "confirmed_by", "confirmed_at", "updated_at"])
        placement = notice.placement
        placement.end_date = notice.last_day
        placement.save(update_fields=["end_date", "updated_at"])
        bump(child_ids=[placement.child_id])
        audit_record(
            actor=confirmed_by, action="change", obj=notice, child_id=placement.child_id, details={"confirmed": True}
        )
        guardians = [
            g.guardian
            for g in Guardianship.objects.filter(active_q(), child_id=placement.child_id).select_related("guardian")
        ]
        notify(
            recipients=guardians,
            kind="preschool.notice_confirmed",
            title=_("Uppsägningen är bekräftad: sista dag %(day)s") % {"day": _d(notice.last_day)},
            url=reverse("preschool:overview"),
            child=placement.child,
            source=notice,
        )
    return notice


def placement_notice_withdraw(*, notice: PlacementNotice, user) -> PlacementNotice:
    with transaction.atomic():
        notice = PlacementNotice.objects.select_for_update().get(pk=notice.pk)
        if not Guardianship.objects.filter(active_q(), guardian=user, child_id=notice.placement.child_id).exists():
            raise PermissionDenied
        if notice.state != PlacementNotice.State.PENDING:
            raise ValidationError(_("Uppsägningen är redan bekräftad och kan inte återkallas här; kontakta förskolan."))
        notice.state = PlacementNotice.State.WITHDRAWN
        notice.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=user, action="change", obj=notice, child_id=notice.placement.child_id, details={"withdrawn": True}
        )
    return notice
