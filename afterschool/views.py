from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from afterschool import access, selectors, services
from afterschool.forms import SurveyAnswerForm, SurveyOpenForm
from config.forms import form_add_service_errors
from roster.calendar import lov_periods
from roster.policy import viewer_for


@require_http_methods(["GET"])
def overview(request):
    """Guardians: open surveys for their children. Staff: surveys of their units."""
    viewer = viewer_for(request)
    today = timezone.localdate()
    own = [c for c in viewer.children if c.user_id != request.user.pk]
    family = []
    if own:
        unit_ids = {p.unit_id for c in own for p in c.active_placements}
        surveys = selectors.open_surveys_for_units(unit_ids, today=today)
        answered = selectors.answered_child_ids([s.pk for s in surveys], [c.pk for c in own])
        for survey in surveys:
            for child in own:
                if any(p.unit_id == survey.unit_id for p in child.active_placements):
                    family.append({"survey": survey, "child": child, "answered": (survey.pk, child.pk) in answered})
    staff = selectors.open_surveys_for_units(viewer.staff_unit_ids, today=today) if viewer.staff_unit_ids else []
    may_open = any(viewer.is_principal_of(u.pk) and u.kind in ("fritidshem", "forskola") for u in viewer.staff_units)
    return render(
        request, "afterschool/overview.html", {"family": family, "staff": staff, "may_open": may_open, "today": today}
    )


@require_http_methods(["GET", "POST"])
def survey_create(request):
    units = access.principal_units(request)
    unit_id = request.POST.get("unit") or request.GET.get("enhet") or str(units[0].pk)
    unit = next((u for u in units if str(u.pk) == unit_id), None)
    if unit is None:
        raise Http404("Ingen enhet")
    today = timezone.localdate()
    lovs = [
        lov
        for lov in lov_periods(start=today, end=today.replace(year=today.year + 1), unit=unit)
        if lov.start > today and (unit.kind == "fritidshem" or lov.kind == "sommarlov")
    ]
    form = SurveyOpenForm(request.POST or None, lovs=lovs)
    if request.method == "POST" and form.is_valid():
        from datetime import date

        try:
            survey = services.survey_open(
                unit=unit,
                opened_by=request.user,
                lov_start=date.fromisoformat(form.cleaned_data["lov"]),
                deadline=form.cleaned_data["deadline"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Lovanmälan är öppen och vårdnadshavarna har fått en notis."))
            return redirect("afterschool:survey-detail", survey.pk)
    return render(request, "afterschool/survey_form.html", {"form": form, "unit": unit, "units": units})


@require_http_methods(["GET"])
def survey_detail(request, survey_id):
    survey = access.get_survey_for_staff(request, survey_id)
    overview = selectors.survey_overview(survey)
    bar_width = 44
    chart = {
        "width": max(len(overview["days"]) * (bar_width + 12) + 40, 360),
        "height": 180,
        "bars": [
            {
                "x": 30 + i * (bar_width + 12),
                "care_h": round(140 * d.care / overview["max"]),
                "day": d,
            }
            for i, d in enumerate(overview["days"])
        ],
        "bar_width": bar_width,
    }
    for bar in chart["bars"]:
        bar["y"] = 150 - bar["care_h"]
    may_remind = (
        viewer_for(request).is_principal_of(survey.unit_id) or survey.unit_id in viewer_for(request).staff_unit_ids
    )
    return render(
        request,
        "afterschool/survey_detail.html",
        {"survey": survey, "overview": overview, "chart": chart, "may_remind": may_remind},
    )


@require_POST
def survey_remind(request, survey_id):
    survey = access.get_survey_for_staff(request, survey_id)
    count = services.survey_remind(survey=survey)
    messages.success(request, _("Påminnelse skickas till %(count)s vårdnadshavare.") % {"count": count})
    return redirect("afterschool:survey-detail", survey.pk)


@require_http_methods(["GET", "POST"])
def answer(request, survey_id, child_id):
    survey, child = access.get_survey_and_child_for_guardian(request, survey_id, child_id)
    days = selectors.survey_days(survey)
    form = SurveyAnswerForm(request.POST or None, days=days, existing=selectors.answers_for(survey, child))
    closed = timezone.localdate() > survey.deadline
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_answer(survey=survey, child=child, answered_by=request.user, answers=form.answers())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Tack! Svaret för %(name)s är sparat i omsorgsschemat.") % {"name": child.given_name}
            )
            return redirect("afterschool:overview")
    return render(
        request, "afterschool/answer.html", {"survey": survey, "child": child, "form": form, "closed": closed}
    )
