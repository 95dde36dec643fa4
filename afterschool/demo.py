"""Demo: a holiday-care survey open for jullov at Norrskolans fritidshem, with a few answers."""

from __future__ import annotations

import random
from datetime import date, timedelta

from afterschool.models import HolidaySurvey, SurveyAnswer
from roster.calendar import calendar_for, lov_periods
from roster.models import Placement, StaffDuty, Unit, active_q


def seed(*, today: date, rng: random.Random) -> None:
    unit = Unit.objects.filter(code="DEMO-NORRSKOLAN-FRITIDS").first()
    if unit is None:
        return
    jullov = next(
        (lov for lov in lov_periods(start=today, end=today + timedelta(days=120), unit=unit) if lov.kind == "jullov"),
        None,
    )
    if jullov is None or jullov.start <= today:
        return
    principal = (
        StaffDuty.objects.filter(unit=unit, role=StaffDuty.Role.REKTOR).values_list("user_id", flat=True).first()
    )
    survey = HolidaySurvey.objects.create(
        unit=unit,
        lov_kind=jullov.kind,
        title=f"Lovanmälan {jullov.label.lower()}",
        start_date=jullov.start,
        end_date=jullov.end,
        deadline=min(jullov.start - timedelta(days=1), today + timedelta(days=14)),
        opened_by_id=principal,
    )
    days = calendar_for(start=jullov.start, end=jullov.end, unit_ids=[unit.pk]).open_days(
        jullov.start, jullov.end, unit=unit
    )
    children = list(
        Placement.objects.filter(active_q(on=today), unit=unit)
        .exclude(child__family_name="Andersson")
        .values_list("child_id", flat=True)[:200]
    )
    from datetime import time

    answers = []
    for child_id in rng.sample(children, min(len(children), max(len(children) // 3, 1))):
        for day in days:
            needs = rng.random() < 0.45
            answers.append(
                SurveyAnswer(
                    survey=survey,
                    child_id=child_id,
                    day=day,
                    needs_care=needs,
                    start_time=time(8, 0) if needs else None,
                    end_time=time(16, 0) if needs else None,
                )
            )
    SurveyAnswer.objects.bulk_create(answers)
