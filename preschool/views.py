import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.assurance import HIGH, require_assurance
from accounts.models import User
from config.forms import form_add_service_errors
from preschool import access, selectors, services
from preschool.forms import IncomeReportForm, MonthField, PlacementNoticeForm
from roster.models import Guardianship, active_q


def _month(request):
    """The month in ?manad=ÅÅÅÅ-MM, or this month; a bad value is a clear 404."""
    from django.core.exceptions import ValidationError as FormError
    from django.http import Http404

    raw = request.GET.get("manad")
    if not raw:
        return selectors.month_start(timezone.localdate())
    try:
        return MonthField().clean(raw)
    except FormError as exc:
        raise Http404("Ogiltig månad") from exc


@require_http_methods(["GET"])
@require_assurance(HIGH)
def overview(request):
    """The guardian's e-services: this month's fee per child, income reports, notices."""
    children = access.own_care_children(request)
    month = _month(request)
    rule, fees = selectors.family_fees(children=children, month=month)
    placements = [p for c in children for p in c.active_placements if p.unit.kind in ("forskola", "fritidshem")]
    context = {
        "month": month,
        "rule": rule,
        "children": [{"child": c, "fee": fees.get(c.pk)} for c in children],
        "placements": placements,
        "reports": selectors.reports_for_guardian(user=request.user),
        "notices": selectors.notices_for_children(child_ids=[c.pk for c in children]),
    }
    return render(request, "preschool/overview.html", context)


@require_http_methods(["GET", "POST"])
@require_assurance(HIGH)
def income_create(request):
    children = access.own_care_children(request)
    co_guardians = list(
        User.objects.filter(
            pk__in=Guardianship.objects.filter(active_q(), child__in=children).values("guardian_id")
        ).exclude(pk=request.user.pk)
    )
    initial = {"children": [str(c.pk) for c in children], "valid_from": timezone.localdate().strftime("%Y-%m")}
    form = IncomeReportForm(request.POST or None, children=children, co_guardians=co_guardians, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = {int(pk) for pk in form.cleaned_data["children"]}
        chosen_guardians = {int(pk) for pk in form.cleaned_data.get("co_guardians", [])}
        try:
            services.income_report_create(
                reported_by=request.user,
                children=[c for c in children if c.pk in chosen],
                co_guardians=[g for g in co_guardians if g.pk in chosen_guardians],
                monthly_income=form.cleaned_data["monthly_income"],
                highest_fee=form.cleaned_data["highest_fee"],
                valid_from=form.cleaned_data["valid_from"],
                other_adults=form.cleaned_data["other_adults"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Inkomstuppgiften är sparad."))
            return redirect("preschool:overview")
    return render(request, "preschool/income_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@require_assurance(HIGH)
def notice_create(request, placement_id):
    placement = access.get_care_placement_for_guardian(request, placement_id)
    months = selectors.notice_months_for(placement.unit_id)
    form = PlacementNoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.placement_notice_give(
                placement=placement, given_by=request.user, requested_last_day=form.cleaned_data["requested_last_day"]
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if notice.last_day != notice.requested_last_day:
                messages.info(
                    request,
                    _("Uppsägningstiden är %(months)s månader, så sista dagen blir %(day)s.")
                    % {"months": notice.notice_months, "day": services._d(notice.last_day)},
                )
            messages.success(request, _("Uppsägningen är skickad till rektor."))
            return redirect("preschool:overview")
    return render(request, "preschool/notice_form.html", {"form": form, "placement": placement, "months": months})


@require_POST
@require_assurance(HIGH)
def notice_withdraw(request, notice_id):
    notice = access.get_notice_for_guardian(request, notice_id)
    try:
        services.placement_notice_withdraw(notice=notice, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Uppsägningen är återkallad."))
    return redirect("preschool:overview")


@require_http_methods(["GET"])
def notices(request):
    unit_ids = access.principal_unit_ids(request)
    return render(request, "preschool/notices.html", {"notices": selectors.notices_for_units(unit_ids=unit_ids)})


@require_POST
def notice_confirm(request, notice_id):
    notice = access.get_notice_for_principal(request, notice_id)
    try:
        services.placement_notice_confirm(notice=notice, confirmed_by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Uppsägningen är bekräftad och placeringen avslutas sista dagen."))
    return redirect("preschool:notices")


@require_http_methods(["GET"])
def fees(request):
    unit_ids = access.principal_unit_ids(request)
    month = _month(request)
    rule, rows = selectors.fee_rows(month=month, unit_ids=unit_ids)
    total = sum(r.fee for r in rows)
    return render(request, "preschool/fees.html", {"month": month, "rule": rule, "rows": rows, "total": total})


@require_http_methods(["GET"])
def fees_csv(request):
    unit_ids = access.principal_unit_ids(request)
    month = _month(request)
    _rule, rows = selectors.fee_rows(month=month, unit_ids=unit_ids)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="avgifter-{month:%Y-%m}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "Månad",
            "Hushåll",
            "Barn",
            "Enhet",
            "Omsorg",
            "Barn nr",
            "Procent",
            "Inkomst",
            "Avgiftsunderlag",
            "Avgift (kr)",
        ]
    )
    for r in rows:
        cells = [
            f"{month:%Y-%m}",
            r.household,
            r.child_name,
            r.unit_name,
            r.kind,
            r.rank,
            r.percent,
            r.income,
            r.fee_base,
            r.fee,
        ]
        # A cell that starts like a formula is written as text.
        writer.writerow([f"'{c}" if isinstance(c, str) and c[:1] in "=+-@" else c for c in cells])
    return response
