"""Reads for the holiday-care survey; constant queries whatever the number of children."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from afterschool.models import HolidaySurvey, SurveyAnswer
from roster.calendar import calendar_for
from roster.models import Child, Placement
from roster.policy import placements_overlapping


def survey_days(survey: HolidaySurvey) -> list[date]:
    """The care days of the lov for the survey's unit (weekdays, not holidays or closed days).
    Two queries (the calendar)."""
    cal = calendar_for(start=survey.start_date, end=survey.end_date, unit_ids=[survey.unit_id])
    return cal.open_days(survey.start_date, survey.end_date, unit=survey.unit)


def survey_children(survey: HolidaySurvey) -> list[Child]:
    """Children placed at the unit at some point during the lov. One query."""
    placed = placements_overlapping(
        survey.start_date, survey.end_date, queryset=Placement.objects.filter(unit_id=survey.unit_id)
    )
    return list(Child.objects.filter(pk__in=placed.values("child_id")).order_by("given_name", "family_name"))


def open_surveys_for_units(unit_ids, *, today: date | None = None) -> list[HolidaySurvey]:
    today = today or timezone.localdate()
    return list(
        HolidaySurvey.objects.filter(unit_id__in=unit_ids, end_date__gte=today)
        .select_related("unit")
        .order_by("start_date")
    )


def answered_child_ids(survey_ids, child_ids) -> set[tuple[int, int]]:
    return set(
        SurveyAnswer.objects.filter(survey_id__in=survey_ids, child_id__in=child_ids)
        .values_list("survey_id", "child_id")
        .distinct()
    )


def answers_for(survey: HolidaySurvey, child: Child) -> dict[date, SurveyAnswer]:
    return {a.day: a for a in SurveyAnswer.objects.filter(survey=survey, child=child)}


@dataclass
class DayCount:
    day: date
    care: int
    free: int
    unanswered: int


def survey_overview(survey: HolidaySurvey) -> dict:
    """Per day: how many children need care, are ledig, have not answered. Four queries."""
    days = survey_days(survey)
    children = survey_children(survey)
    counts = Counter(
        (row["day"], row["needs_care"])
        for row in SurveyAnswer.objects.filter(survey=survey).values("day", "needs_care")
    )
    answered = {a for _s, a in answered_child_ids([survey.pk], [c.pk for c in children])}
    per_day = [
        DayCount(
            day=d,
            care=counts[(d, True)],
            free=counts[(d, False)],
            unanswered=max(len(children) - counts[(d, True)] - counts[(d, False)], 0),
        )
        for d in days
    ]
    return {
        "days": per_day,
        "children": len(children),
        "answered": len(answered),
        "unanswered_children": [c for c in children if c.pk not in answered and not c.protected_identity],
        "max": max([len(children), 1]),
    }
