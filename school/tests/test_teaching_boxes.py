"""Hub boxes Veckoplan, Planeringar, Uppgifter and eTest: plain data, constant queries for
any number of children, and the next Hub load shows a change written through a service."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from roster.models import Child, Placement, active_q
from roster.policy import viewer_build
from school import teaching_selectors as selectors
from school.teaching_boxes import AssignmentsBox, ETestBox, PlanningsBox, WeeklyPlanBox

pytestmark = pytest.mark.django_db

# Weekly plan 1, plannings 1, assignments 1, eTest 1: see the loaders' docstrings.
LOADERS = [
    (WeeklyPlanBox(), 1),
    (PlanningsBox(), 1),
    (AssignmentsBox(), 1),
    (ETestBox(), 1),
]


def _children(ids):
    from django.db.models import Prefetch

    placements = Placement.objects.filter(active_q()).select_related("unit", "group")
    return list(
        Child.objects.filter(pk__in=ids).prefetch_related(
            Prefetch("placements", queryset=placements, to_attr="active_placements")
        )
    )


def _plain(value) -> bool:
    from datetime import date, datetime

    if isinstance(value, dict):
        return all(isinstance(k, str | int) and _plain(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, str | int | float | bool | date | datetime)


@pytest.mark.parametrize(("box", "queries"), LOADERS, ids=lambda v: getattr(v, "key", str(v)))
def test_loaders_are_plain_and_constant_for_any_number_of_children(box, queries, demo, django_assert_num_queries):
    three_b = list(Placement.objects.filter(group=demo["3b"]).values_list("child_id", flat=True))
    few, many = _children(three_b[:1]), _children(three_b)
    viewer = viewer_build(demo["elias"].user)
    with django_assert_num_queries(queries):
        small = box.load_for_children(viewer=viewer, children=few)
    with django_assert_num_queries(queries):
        large = box.load_for_children(viewer=viewer, children=many)
    assert _plain(small) and _plain(large)
    if box.key != "etest":
        assert len(large) >= len(small)
    # Children without a school group cost the same and get nothing.
    preschool = _children_without_school(demo)
    with django_assert_num_queries(0):
        assert box.load_for_children(viewer=viewer, children=preschool) == {}


def _children_without_school(demo):
    return _children([demo["alva"].pk])


def test_student_hub_shows_the_etest_box_with_constant_queries(client_for, demo, django_assert_num_queries):
    student = client_for("student")
    student.get(reverse("hub:dashboard"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        html = student.get(reverse("hub:dashboard")).content.decode()
    assert "Multiplikation 3B" in html
    from school.models import ETest

    base = ETest.objects.get(title="Multiplikation 3B")
    for i in range(10):
        ETest.objects.create(
            group=demo["3b"],
            title=f"Prov {i}",
            opens_at=base.opens_at,
            closes_at=base.closes_at,
            state=ETest.State.PUBLISHED,
        )
    with django_assert_num_queries(len(first)):
        student.get(reverse("hub:dashboard"))


def test_the_next_hub_load_shows_a_change_written_through_a_service(client_for, demo, personas):
    """Warm the Hub twice, write through the services, and the next load shows it (the
    services bump the group or the child for the Hub's box cache)."""
    from school import services
    from school.models import Assignment, Planning
    from school.teaching_access import GroupRole

    anna = client_for("guardian")
    for _ in range(2):
        html = anna.get(reverse("hub:dashboard")).content.decode()
    assert "Nytt i veckan" not in html
    role = GroupRole(group=demo["3b"], may_write=True, is_staff_reader=True)
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.weekly_plan_save(
        role=role,
        user=personas["teacher"],
        monday=tomorrow,
        letter="Hej",
        items=[(tomorrow, "event", "Nytt i veckan")],
        publish_at=timezone.now() - timedelta(minutes=1),
    )
    planning = Planning.objects.get(title="Bråk – utkast")
    services.planning_publish(role=role, planning=planning)
    assignment = Assignment.objects.create(
        group=demo["3b"], title="Läs en dikt", instructions="x", deadline=timezone.now() + timedelta(days=2)
    )
    services.assignment_publish(role=role, assignment=assignment)
    html = anna.get(reverse("hub:dashboard")).content.decode()
    assert "Nytt i veckan" in html and "Bråk – utkast" in html and "Läs en dikt" in html


def test_weekly_box_knows_when_a_scheduled_plan_appears(demo, personas):
    from school import services
    from school.teaching_access import GroupRole

    role = GroupRole(group=demo["3b"], may_write=True, is_staff_reader=True)
    later = timezone.now().replace(microsecond=0) + timedelta(hours=3)
    next_monday = timezone.localdate() + timedelta(days=7)
    services.weekly_plan_save(
        role=role, user=personas["teacher"], monday=next_monday, letter="Snart", items=[], publish_at=later
    )
    data = selectors.weekly_box_for_children(children=_children([demo["elias"].pk]))[demo["elias"].pk]
    assert WeeklyPlanBox().valid_until(data) == later
