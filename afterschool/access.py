"""Access to surveys on roster's policy: 404 for a survey or child the viewer has no
relation to, 403 for a page their role does not have."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from afterschool.models import HolidaySurvey
from roster.policy import viewer_for


def get_survey_for_staff(request, survey_id) -> HolidaySurvey:
    viewer = viewer_for(request)
    survey = HolidaySurvey.objects.filter(pk=survey_id).select_related("unit").first()
    if survey is None or not (viewer.is_superuser or survey.unit_id in viewer.staff_unit_ids):
        raise Http404("Ingen lovanmälan")
    return survey


def get_survey_and_child_for_guardian(request, survey_id, child_id):
    viewer = viewer_for(request)
    child = next((c for c in viewer.children if str(c.pk) == str(child_id)), None)
    if child is None:
        raise Http404("Inget barn")
    if child.user_id == request.user.pk:
        raise PermissionDenied  # a student does not answer for themself
    unit_ids = {p.unit_id for p in child.active_placements}
    survey = HolidaySurvey.objects.filter(pk=survey_id, unit_id__in=unit_ids).select_related("unit").first()
    if survey is None:
        raise Http404("Ingen lovanmälan")
    return survey, child


def principal_units(request):
    viewer = viewer_for(request)
    units = [u for u in viewer.staff_units if u.kind in ("fritidshem", "forskola") and viewer.is_principal_of(u.pk)]
    if not units:
        raise PermissionDenied
    return units
