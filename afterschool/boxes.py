from collections import namedtuple

from django.db.models import Count, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from afterschool.models import HolidaySurvey, SurveyAnswer
from config.statements import Statement
from hub.registry import GUARDIAN, NO_TOPICS, PER_UNIT, STAFF, Box, register

_SurveyRow = namedtuple("_SurveyRow", ("id", "unit_id", "title", "deadline", "mine__child_id"))


def _open_surveys(*, unit_ids: list[int], child_ids: list[int], today):
    """One row per open survey and child of these that has answered it (a left join on the
    children's answers, one row a day made distinct), or one row with None."""
    return (
        HolidaySurvey.objects.filter(unit_id__in=unit_ids, deadline__gte=today)
        .annotate(mine=FilteredRelation("answers", condition=Q(answers__child_id__in=child_ids)))
        .values_list("id", "unit_id", "title", "deadline", "mine__child_id")
        .distinct()
        .order_by("start_date", "id")
    )


def _unit_surveys(*, unit_ids: list[int], today):
    """The surveys with the number of children answering and placed (a subquery each)."""
    from roster.models import Placement, active_q

    answered = (
        SurveyAnswer.objects.filter(survey=OuterRef("pk"))
        .order_by()
        .values("survey")
        .annotate(n=Count("child", distinct=True))
        .values("n")
    )
    placed = (
        Placement.objects.filter(active_q(on=today), unit=OuterRef("unit"))
        .order_by()
        .values("unit")
        .annotate(n=Count("child", distinct=True))
        .values("n")
    )
    return (
        HolidaySurvey.objects.filter(unit_id__in=unit_ids, end_date__gte=today)
        .values(
            "id",
            "unit_id",
            "title",
            "deadline",
            answered=Coalesce(Subquery(answered), 0),
            children=Coalesce(Subquery(placed), 0),
        )
        .order_by("start_date", "id")
    )


# Built and compiled once per shape (config.statements).
_OPEN_SURVEYS = Statement(_open_surveys)
_UNIT_SURVEYS = Statement(_unit_surveys)


@register
class SurveyBox(Box):
    """Open holiday-care surveys: guardians answer per child; staff see how many have
    answered. Hidden when no survey is open (one query, for all children or all units)."""

    key = "lovanmalan"

    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Lovanmälan")
    icon = "calendar"
    audiences = frozenset({GUARDIAN, STAFF})
    unit_kinds = frozenset({"fritidshem", "forskola"})
    template = "afterschool/boxes/survey.jinja"
    link_name = "afterschool:overview"
    order = 45
    # Cached per child and per unit; opening, answering and reminding bump the unit.
    child_cache = True
    unit_cache = PER_UNIT
    # Families: the open surveys of their units with which of the children have answered (a
    # left join). Staff: the surveys with the number answering and placed (two subqueries).
    queries = unit_queries = 1

    def load_for_children(self, *, viewer, children):
        today = timezone.localdate()
        unit_ids = {p.unit_id for c in children for p in c.active_placements}
        if not unit_ids:
            return {}
        rows = [
            _SurveyRow(*row)
            for row in _OPEN_SURVEYS(unit_ids=sorted(unit_ids), child_ids=[c.pk for c in children], today=today)
        ]
        surveys = {r.id: {"id": r.id, "unit_id": r.unit_id, "title": r.title, "deadline": r.deadline} for r in rows}
        answered = {(r.id, r.mine__child_id) for r in rows}
        data = {}
        for child in children:
            units = {p.unit_id for p in child.active_placements}
            mine = [
                {**s, "answered": (s["id"], child.pk) in answered} for s in surveys.values() if s["unit_id"] in units
            ]
            if mine:
                data[child.pk] = {"surveys": mine, "child_id": child.pk}
        return data

    def load_for_units(self, *, viewer, units):
        surveys = _UNIT_SURVEYS(unit_ids=sorted(u.pk for u in units), today=timezone.localdate())
        data = {}
        for survey in surveys:
            data.setdefault(survey["unit_id"], {"staff": True, "surveys": []})["surveys"].append(survey)
        return data
