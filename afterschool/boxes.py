from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from afterschool.models import HolidaySurvey, SurveyAnswer
from hub.registry import GUARDIAN, NO_TOPICS, PER_UNIT, STAFF, Box, register


@register
class SurveyBox(Box):
    """Open holiday-care surveys: guardians answer per child; staff see how many have
    answered. Hidden when no survey is open (three queries at most, for all children)."""

    key = "lovanmalan"

    child_topics = NO_TOPICS  # shows no absence reports or leave (tests/test_child_topics.py)
    title = _("Lovanmälan")
    icon = "calendar"
    audiences = frozenset({GUARDIAN, STAFF})
    unit_kinds = frozenset({"fritidshem", "forskola"})
    template = "afterschool/boxes/survey.html"
    link_name = "afterschool:overview"
    order = 45
    # Cached per child and per unit; opening, answering and reminding bump the unit.
    child_cache = True
    unit_cache = PER_UNIT
    # Families: the open surveys of their units, and which children have answered (only when a
    # survey is open). Staff: the surveys, and the number of children placed (the same).
    queries = unit_queries = 2

    def load_for_children(self, *, viewer, children):
        today = timezone.localdate()
        unit_ids = {p.unit_id for c in children for p in c.active_placements}
        surveys = list(
            HolidaySurvey.objects.filter(unit_id__in=unit_ids, deadline__gte=today).values(
                "id", "unit_id", "title", "deadline"
            )
        )
        if not surveys:
            return {}
        answered = set(
            SurveyAnswer.objects.filter(survey_id__in=[s["id"] for s in surveys], child__in=children)
            .values_list("survey_id", "child_id")
            .distinct()
        )
        data = {}
        for child in children:
            units = {p.unit_id for p in child.active_placements}
            mine = [{**s, "answered": (s["id"], child.pk) in answered} for s in surveys if s["unit_id"] in units]
            if mine:
                data[child.pk] = {"surveys": mine, "child_id": child.pk}
        return data

    def load_for_units(self, *, viewer, units):
        from roster.models import Placement, active_q

        today = timezone.localdate()
        surveys = list(
            HolidaySurvey.objects.filter(unit__in=units, end_date__gte=today)
            .annotate(answered=Count("answers__child", distinct=True))
            .values("id", "unit_id", "title", "deadline", "answered")
        )
        if not surveys:
            return {}
        placed = dict(
            Placement.objects.filter(active_q(), unit__in=units)
            .values("unit_id")
            .annotate(n=Count("child", distinct=True))
            .values_list("unit_id", "n")
        )
        data = {}
        for survey in surveys:
            survey["children"] = placed.get(survey["unit_id"], 0)
            data.setdefault(survey["unit_id"], {"staff": True, "surveys": []})["surveys"].append(survey)
        return data
