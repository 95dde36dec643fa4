"""Holiday-care survey (lovanmälan): opened by the principal for a lov from the school-day
calendar, answered per child and day, answers become the care schedule (lock included),
reminders through the outbox, counts per day in constant queries."""

from datetime import date, time, timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from afterschool import selectors, services
from afterschool.models import HolidaySurvey, SurveyAnswer
from hub.testing import hub_board
from notifications.models import Notification, OutboxMessage
from roster.calendar import lov_periods
from schedules.models import DayEntry
from tests.test_query_budgets import _cold


@pytest.fixture
def survey(demo):
    return HolidaySurvey.objects.get(unit=demo["fritids"])


def _form_data(days, *, care=True, start="08:00", end="16:00"):
    data = {}
    for day in days:
        key = f"{day:%Y%m%d}"
        data[f"need_{key}"] = "omsorg" if care else "ledig"
        data[f"start_{key}"] = start if care else ""
        data[f"end_{key}"] = end if care else ""
    return data


@pytest.mark.django_db
def test_guardian_answers_and_the_days_become_the_care_schedule(client_for, survey, demo):
    days = selectors.survey_days(survey)
    assert days and all(d.weekday() < 5 for d in days)
    client = client_for("guardian")
    url = reverse("afterschool:answer", args=[survey.pk, demo["elias"].pk])
    data = _form_data(days)
    first = days[0]
    data[f"need_{first:%Y%m%d}"] = "ledig"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert SurveyAnswer.objects.filter(survey=survey, child=demo["elias"]).count() == len(days)
    entries = {e.date: e for e in DayEntry.objects.filter(child=demo["elias"], date__in=days)}
    assert entries[first].kind == DayEntry.Kind.LEDIG
    assert entries[days[-1]].kind == DayEntry.Kind.TIMES and entries[days[-1]].start_time == time(8, 0)


@pytest.mark.django_db
def test_bad_input_changes_nothing(client_for, survey, demo):
    days = selectors.survey_days(survey)
    url = reverse("afterschool:answer", args=[survey.pk, demo["elias"].pk])
    client = client_for("guardian")
    missing = client.post(url, {k: v for k, v in _form_data(days).items() if not k.endswith(f"{days[0]:%Y%m%d}")})
    assert missing.status_code == 200
    backwards = client.post(url, _form_data(days, start="16:00", end="08:00"))
    assert backwards.status_code == 200
    assert not SurveyAnswer.objects.filter(survey=survey, child=demo["elias"]).exists()
    assert not DayEntry.objects.filter(child=demo["elias"], date__in=days).exists()


@pytest.mark.django_db
def test_service_refuses_another_familys_child_and_after_the_deadline(personas, survey, demo):
    days = selectors.survey_days(survey)
    answers = {d: (False, None, None) for d in days}
    with pytest.raises(PermissionDenied):
        services.survey_answer(
            survey=survey, child=demo["elias"], answered_by=personas["other_guardian"], answers=answers
        )
    with pytest.raises(ValidationError, match="Sista dag att svara"):
        services.survey_answer(
            survey=survey,
            child=demo["elias"],
            answered_by=personas["guardian"],
            answers=answers,
            today=survey.deadline + timedelta(days=1),
        )


@pytest.mark.django_db
def test_the_schedule_lock_holds_for_answers(personas, survey, demo):
    days = selectors.survey_days(survey)
    answers = {d: (True, time(8, 0), time(16, 0)) for d in days}
    # Two days before the lov starts the first lov days are inside the 7-day lock.
    with time_machine.travel(survey.start_date - timedelta(days=2)), pytest.raises(ValidationError):
        services.survey_answer(
            survey=survey,
            child=demo["elias"],
            answered_by=personas["guardian"],
            answers=answers,
            today=survey.deadline,
        )
    assert not SurveyAnswer.objects.filter(survey=survey, child=demo["elias"]).exists()


@pytest.mark.django_db
def test_principal_opens_a_survey_for_a_lov_and_guardians_are_told(personas, demo):
    unit = demo["fritids"]
    today = date(2026, 11, 23)
    sportlov = next(
        lov for lov in lov_periods(start=today, end=today + timedelta(days=200), unit=unit) if lov.kind == "sportlov"
    )
    with pytest.raises(PermissionDenied):
        services.survey_open(
            unit=unit, opened_by=personas["teacher"], lov_start=sportlov.start, deadline=today, today=today
        )
    with pytest.raises(ValidationError, match="före lovet"):
        services.survey_open(
            unit=unit, opened_by=personas["principal"], lov_start=sportlov.start, deadline=sportlov.start, today=today
        )
    survey = services.survey_open(
        unit=unit,
        opened_by=personas["principal"],
        lov_start=sportlov.start,
        deadline=sportlov.start - timedelta(days=10),
        today=today,
    )
    assert survey.end_date == sportlov.end
    assert Notification.objects.filter(kind="afterschool.survey_open", recipient=personas["guardian"]).exists()
    with pytest.raises(ValidationError, match="redan"):
        services.survey_open(
            unit=unit, opened_by=personas["principal"], lov_start=sportlov.start, deadline=today, today=today
        )


@pytest.mark.django_db
def test_forskola_only_for_the_summer(personas, demo):
    from roster.models import StaffDuty

    unit = demo["solrosen"]
    StaffDuty.objects.create(user=personas["principal"], unit=unit, role="rektor", start_date=date(2020, 1, 1))
    today = date(2026, 11, 23)
    lovs = lov_periods(start=today, end=today + timedelta(days=300), unit=unit)
    jullov = next(lov for lov in lovs if lov.kind == "jullov")
    with pytest.raises(ValidationError, match="sommaren"):
        services.survey_open(
            unit=unit, opened_by=personas["principal"], lov_start=jullov.start, deadline=today, today=today
        )
    summer = next(lov for lov in lovs if lov.kind == "sommarlov")
    assert services.survey_open(
        unit=unit, opened_by=personas["principal"], lov_start=summer.start, deadline=today, today=today
    )


@pytest.mark.django_db
def test_reminder_goes_through_the_outbox_once_a_day(survey, personas):
    first = services.survey_remind(survey=survey, today=date(2026, 11, 23))
    assert first >= 1
    assert services.survey_remind(survey=survey, today=date(2026, 11, 23)) == 0
    assert OutboxMessage.objects.filter(dedupe_key__startswith=f"lovanmalan:{survey.pk}:").count() == first
    recipients = {a for to in OutboxMessage.objects.values_list("to", flat=True) for a in to}
    assert personas["guardian"].email in recipients


@pytest.mark.django_db
def test_overview_counts_in_constant_queries(client_for, survey, demo, django_assert_num_queries):
    client = client_for("principal")
    url = reverse("afterschool:survey-detail", args=[survey.pk])
    client.get(url)
    _cold()
    with django_assert_num_queries(_DETAIL) as ctx:
        response = client.get(url)
    assert ctx
    days = response.context["overview"]["days"]
    assert sum(d.care + d.free + d.unanswered for d in days) == len(days) * response.context["overview"]["children"]
    # More answers: the same number of queries.
    from roster.models import Placement

    extra = Placement.objects.filter(unit=demo["fritids"]).values_list("child_id", flat=True)
    SurveyAnswer.objects.filter(survey=survey).delete()
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(survey=survey, child_id=cid, day=d, needs_care=True)
        for cid in extra
        for d in selectors.survey_days(survey)
    )
    _cold()
    with django_assert_num_queries(_DETAIL):
        response = client.get(url)
    assert all(d.unanswered == 0 for d in response.context["overview"]["days"])


# Survey page, cold viewer: session (database sessions only), user, viewer (children, duties), the survey, calendar (terms, closed
# periods), children placed, answers per day, answered children.
_DETAIL = 9 + (1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0)


@pytest.mark.django_db
def test_hub_box_for_guardian_and_staff(client_for, demo):
    board = hub_board(client_for("guardian").get(reverse("hub:dashboard")))
    elias = next(c for c in board.family if c.title == "Elias Andersson")
    box = next(v for v in elias.boxes if v.box.key == "lovanmalan")
    assert box.data["surveys"][0]["answered"] is False
    staff = hub_board(client_for("principal").get(reverse("hub:dashboard")))
    fritids = next(c for c in staff.staff if c.title == "Norrskolans fritidshem")
    assert any(v.box.key == "lovanmalan" for v in fritids.boxes)


@pytest.mark.django_db
def test_hub_box_in_one_query_for_the_children_and_for_the_units(survey, personas, demo, django_assert_num_queries):
    """A second open survey that starts earlier comes first; the family sees which child has
    answered which survey, the staff how many have answered of how many placed, each side
    in one query."""
    from hub.registry import registry
    from roster.models import Placement, active_q
    from roster.policy import viewer_build

    box = next(b for b in registry.all() if b.key == "lovanmalan")
    start = survey.start_date - timedelta(days=20)
    earlier = HolidaySurvey.objects.create(
        unit=demo["fritids"],
        lov_kind="hostlov",
        title="Lovanmälan tidigare",
        start_date=start,
        end_date=start + timedelta(days=4),
        deadline=survey.deadline,
    )
    SurveyAnswer.objects.create(survey=earlier, child=demo["elias"], day=start, needs_care=False)
    SurveyAnswer.objects.create(survey=earlier, child=demo["elias"], day=start + timedelta(days=1), needs_care=False)
    children = viewer_build(personas["guardian"]).children
    with django_assert_num_queries(1):
        family = box.load_for_children(viewer=None, children=children)
    assert [(s["title"], s["answered"]) for s in family[demo["elias"].pk]["surveys"]] == [
        ("Lovanmälan tidigare", True),
        (survey.title, False),
    ]
    with django_assert_num_queries(1):
        staff = box.load_for_units(viewer=None, units=[demo["fritids"], demo["norrskolan"]])
    placed = Placement.objects.filter(active_q(), unit=demo["fritids"]).values("child").distinct().count()
    assert list(staff) == [demo["fritids"].pk]
    assert [(s["id"], s["answered"], s["children"]) for s in staff[demo["fritids"].pk]["surveys"]] == [
        (earlier.pk, 1, placed),
        (survey.pk, SurveyAnswer.objects.filter(survey=survey).values("child").distinct().count(), placed),
    ]
