"""Access matrix rows of the holiday-care survey: the demo survey is Norrskolans fritidshem's
jullov survey; Anna's Elias goes there."""

from django.urls import reverse

from tests.matrix import LOGIN, logged_in, row

MATRIX = {
    "afterschool:overview": ("afterschool:overview", logged_in(200)),
    "afterschool:survey-create": ("afterschool:survey-create", row(LOGIN, 403, 403, 403, 403, 403, 200, 403)),
    "afterschool:survey-detail": ("fritids_survey", row(LOGIN, 404, 404, 404, 404, 404, 200, 200)),
    "afterschool:survey-remind": ("fritids_survey_remind", row(LOGIN, 405, 405, 405, 405, 405, 405, 405)),
    "afterschool:answer": ("elias_survey_answer", row(LOGIN, 200, 404, 403, 404, 404, 404, 404)),
}


def url_builders(demo) -> dict[str, str]:
    from afterschool.models import HolidaySurvey

    survey = HolidaySurvey.objects.get(unit=demo["fritids"])
    return {
        "fritids_survey": reverse("afterschool:survey-detail", args=[survey.pk]),
        "fritids_survey_remind": reverse("afterschool:survey-remind", args=[survey.pk]),
        "elias_survey_answer": reverse("afterschool:answer", args=[survey.pk, demo["elias"].pk]),
    }
