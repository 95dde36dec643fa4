"""No SQL while absence and timetable templates render; the Hub's Frånvaro and Schema boxes
keep the Hub's query count whatever the number of reports, leave applications and absent pupils."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from absence.calendar import next_school_day
from absence.models import AbsenceReport, LeaveApplication, LessonAttendance
from accounts.models import User
from hub.cache import bump
from roster.models import Child, Placement
from school.models import Lesson
from tests.budgets import cold_hub
from tests.test_query_budgets import no_sql_in_templates  # noqa: F401

pytestmark = pytest.mark.django_db


def _login(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def _data(demo, day):
    elias = demo["elias"]
    later = next_school_day(next_school_day(day))
    report = AbsenceReport.objects.create(child=elias, start_date=day, end_date=later, reason="sjuk")
    AbsenceReport.objects.create(
        child=elias, start_date=day - timedelta(days=20), end_date=day - timedelta(days=19), reason="sjuk"
    )
    leave = LeaveApplication.objects.create(
        child=elias,
        start_date=later + timedelta(days=7),
        end_date=later + timedelta(days=8),
        reason="Resa",
        state="inskickad",
        school_days=2,
    )
    lesson = Lesson.objects.filter(group=demo["3b"], weekday=day.weekday()).first()
    LessonAttendance.objects.create(lesson=lesson, date=day, child=elias, status="franvarande", valid=True)
    return report, leave, lesson


@pytest.mark.parametrize(
    "email", ["anna.andersson@example.se", "larare.3b@example.se", "rektor@example.se", "elev.elias@example.se"]
)
def test_no_sql_while_templates_render(email, school_day, demo, no_sql_in_templates):  # noqa: F811
    report, leave, lesson = _data(demo, school_day)
    client = _login(email)
    urls = [
        reverse("hub:dashboard"),
        reverse("absence:overview"),
        reverse("absence:report-create"),
        reverse("absence:quick-sick", args=[demo["elias"].pk]),
        reverse("absence:child-history", args=[demo["elias"].pk]),
        reverse("absence:report-edit", args=[report.pk]),
        reverse("absence:report-end", args=[report.pk]),
        reverse("absence:report-extend", args=[report.pk]),
        reverse("absence:leave-list"),
        reverse("absence:leave-create"),
        reverse("absence:leave-detail", args=[leave.pk]),
        reverse("absence:today"),
        reverse("absence:lesson-attendance", args=[lesson.pk, school_day.isoformat()]),
        reverse("absence:group-stats", args=[demo["3b"].pk]),
        reverse("absence:unit-stats", args=[demo["norrskolan"].pk]),
        reverse("school:timetable"),
        reverse("school:child-timetable", args=[demo["elias"].pk]),
    ]
    for url in urls:
        assert client.get(url, follow=True).status_code in (200, 403, 404), url
    assert no_sql_in_templates["queries"] == []


def test_hub_boxes_do_not_grow_with_rows(school_day, demo):
    anna, teacher = _login("anna.andersson@example.se"), _login("larare.3b@example.se")
    # Cold, within the boxes' declared budgets (tests/budgets.py), and the same count after.
    before = [cold_hub(client)[1].total for client in (anna, teacher)]
    _data(demo, school_day)
    for i in range(1, 8):
        day = school_day + timedelta(days=7 * i)
        AbsenceReport.objects.create(child=demo["alva"], start_date=day, end_date=day, reason="sjuk")
        LeaveApplication.objects.create(
            child=demo["elias"], start_date=day, end_date=day, reason="Resa", state="samtycke", school_days=1
        )
    kids = list(Child.objects.filter(placements__in=Placement.objects.filter(group=demo["3b"]))[:15])
    AbsenceReport.objects.bulk_create(
        AbsenceReport(child=k, start_date=school_day, end_date=school_day, reason="sjuk") for k in kids
    )
    # Rows written around the services: bump the Hub's cache generations as the services do.
    bump(child_ids=[demo["elias"].pk, demo["alva"].pk, *(k.pk for k in kids)])
    assert [cold_hub(client)[1].total for client in (anna, teacher)] == before
    page = teacher.get(reverse("hub:dashboard")).content.decode()
    assert kids[0].given_name in page


def test_absent_names_are_the_absent_placements_children_groups_and_reports(school_day, demo):
    """absent_names_on (the Hub's Frånvaro box and Dagens frånvaro: names, no model instances)
    gives the children of the placements the ORM finds, in the staff's order, with their groups
    and reports, on a flu day (every child of the units placed today reported absent, some with
    two reports, one of them for part of the day), and for one group."""
    from datetime import time

    from absence.selectors import absent_names_on, reports_covering
    from roster.models import Placement, active_q

    unit_ids = {demo["norrskolan"].pk, demo["fritids"].pk}
    kids = list(Child.objects.filter(placements__unit_id__in=unit_ids).distinct())
    assert len(kids) >= 10
    AbsenceReport.objects.bulk_create(
        AbsenceReport(child=k, start_date=school_day, end_date=school_day, reason="sjuk") for k in kids
    )
    AbsenceReport.objects.create(
        child=kids[0], start_date=school_day, end_date=school_day, reason="annat", start_time=time(8), end_time=time(9)
    )

    def expected(group_id=None):
        placements = (
            Placement.objects.filter(active_q(on=school_day), unit_id__in=unit_ids)
            .select_related("child", "group")
            .order_by("group__name", "child__given_name", "child__family_name")  # the staff's order
        )
        if group_id:
            placements = placements.filter(group_id=group_id)
        reports = {}
        for r in reports_covering(school_day).order_by("pk"):
            reports.setdefault(r.child_id, []).append(r.pk)
        result = {}
        for p in (p for p in placements if p.child_id in reports):
            group = (p.group.pk, p.group.name) if p.group else (None, None)
            result.setdefault(p.unit_id, []).append((p.child.pk, p.child.full_name, *group, *reports[p.child_id]))
        return result

    def summary(absent):
        return {
            unit_id: [
                (a.child.pk, a.child.full_name, a.group.pk if a.group else None, a.group.name if a.group else None)
                + tuple(sorted(r.pk for r in a.reports))
                for a in children
            ]
            for unit_id, children in absent.items()
        }

    everyone = expected()
    assert sum(len(children) for children in everyone.values()) >= len(kids)
    assert summary(absent_names_on(unit_ids=unit_ids, day=school_day)) == everyone
    group = demo["3b"]
    assert summary(absent_names_on(unit_ids=unit_ids, day=school_day, group_id=group.pk)) == expected(group.pk)
