"""Query budgets for the schedule pages: the count does not grow with children or rows."""

from datetime import date, time, timedelta

import pytest
from django.conf import settings
from django.urls import reverse

from hub.cache import bump
from hub.testing import hub_board
from roster.models import Child, Group, Placement
from schedules.models import Attendance, BaseSchedule, DayComment, DayEntry
from tests.budgets import VIEWER, cold_hub
from tests.test_query_budgets import _cold, no_sql_in_templates  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

SESSION = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
# The schedule page (a guardian), cold: session, user, the viewer (the child and its access
# come from it), its care placements, then bases, day entries, closed days, comments,
# attendance for the two weeks. (No UPDATE: a GET marks nothing read; that is the explicit
# POST schedules:comments-read.) Warm (the page cached, schedules/test_page_cache.py):
# session and user.
WEEK_PAGE_QUERIES = SESSION + 1 + VIEWER + 6
# The staff day list: session, user, the viewer, the unit's groups, placements with child,
# bases, day entries, closed days, comments, attendance. (Marking guardians' comments read is
# the POST schedules:unit-comments-read.)
DAY_LIST_QUERIES = SESSION + 1 + VIEWER + 7


def _rows_for(children, start: date, days: int, author, by_staff: bool = True) -> None:
    entries, comments, attendance = [], [], []
    for child in children:
        for offset in range(days):
            day = start + timedelta(days=offset)
            entries.append(DayEntry(child=child, date=day, kind="times", start_time=time(8), end_time=time(15)))
            comments.append(DayComment(child=child, date=day, author=author, body="Hej", by_staff=by_staff))
            attendance.append(Attendance(child=child, date=day))
    DayEntry.objects.bulk_create(entries, ignore_conflicts=True)
    DayComment.objects.bulk_create(comments)
    Attendance.objects.bulk_create(attendance, ignore_conflicts=True)
    # Bulk inserts bypass the services, which bump the Hub's cache generations: do it here.
    bump(child_ids=[c.pk for c in children])


def test_week_page_same_queries_with_more_rows(frozen, demo, personas, client_for, django_assert_num_queries):
    alva = demo["alva"]
    guardian = client_for("guardian")
    url = reverse("schedules:child-week", args=[alva.pk])
    _cold()  # measured with an empty cache (viewer and boxes)
    with django_assert_num_queries(WEEK_PAGE_QUERIES):
        assert guardian.get(url).status_code == 200
    _rows_for([alva], date(2026, 11, 30), 14, personas["other_staff"])
    _cold()  # measured with an empty cache (viewer and boxes)
    with django_assert_num_queries(WEEK_PAGE_QUERIES):
        response = guardian.get(url)
    assert sum(len(d.comments) for w in response.context["weeks"] for d in w.days) == 10


def _group_of(unit, name: str, size: int, author) -> Group:
    group = Group.objects.create(unit=unit, name=name, kind=Group.Kind.AVDELNING)
    children = Child.objects.bulk_create(
        Child(
            given_name=f"Barn{i}",
            family_name=name,
            personnummer=f"2022{(i % 12) + 1:02d}{(i % 28) + 1:02d}{900 + i:03d}{i % 10}",
            date_of_birth=date(2022, (i % 12) + 1, (i % 28) + 1),
        )
        for i in range(size)
    )
    Placement.objects.bulk_create(
        Placement(child=c, unit=unit, group=group, start_date=date(2026, 8, 1)) for c in children
    )
    BaseSchedule.objects.bulk_create(
        BaseSchedule(child=c, start_date=date(2026, 8, 1), weeks=[[["07:00", "16:00"]] * 5]) for c in children[::2]
    )
    bump(child_ids=[c.pk for c in children])
    _rows_for(children[1::2], date(2026, 11, 30), 1, author, by_staff=False)
    return group


@pytest.mark.parametrize("size", [5, 25])
def test_staff_day_list_same_queries_for_5_and_25(size, frozen, demo, personas, client_for, django_assert_num_queries):
    unit = demo["solrosen"]
    group = _group_of(unit, f"Grupp{size}", size, personas["guardian"])
    url = reverse("schedules:unit-day", args=[unit.pk]) + f"?datum=2026-11-30&grupp={group.pk}"
    staff = client_for("other_staff")
    _cold()  # measured with an empty cache (viewer and boxes)
    with django_assert_num_queries(DAY_LIST_QUERIES):
        response = staff.get(url)
    assert len(response.context["rows"]) == size
    assert response.context["missing"] == 0  # half with a base schedule, half with a day change
    assert sum(len(r.day.comments) for r in response.context["rows"]) == size // 2


def test_hub_schedule_boxes_same_queries_with_more_rows(frozen, demo, personas, client_for):
    # Anna (both kinds of care): the whole Hub, cold, within its boxes' declared budgets
    # (tests/budgets.py), the two schedule boxes sharing one load; the same count with more rows.
    guardian = client_for("guardian")
    response, hub = cold_hub(guardian)
    keys = {view.box.key for column in hub_board(response).family for view in column.boxes}
    assert {"schema-forskola", "schema-fritids"} <= keys
    before = hub.total
    _rows_for([demo["alva"], demo["elias"]], date(2026, 11, 30), 14, personas["other_staff"])
    response, hub = cold_hub(guardian)
    assert hub.total == before
    assert "10 nya kommentarer" not in response.content.decode()  # only unread ones, all of them
    assert "14 nya kommentarer" in response.content.decode()


def test_staff_hub_schedule_box_same_queries_with_more_children(frozen, demo, personas, client_for):
    # Staff at a care unit: within the boxes' budgets, and the same count with 25 more children.
    staff = client_for("other_staff")
    response, hub = cold_hub(staff)
    views = [v for column in hub_board(response).staff for v in column.boxes if v.box.key == "schema-forskola"]
    before, queries = views[0].data["expected"], hub.total
    _group_of(demo["solrosen"], "Stora", 25, personas["guardian"])
    response, hub = cold_hub(staff)
    assert hub.total == queries
    views = [v for column in hub_board(response).staff for v in column.boxes if v.box.key == "schema-forskola"]
    assert views[0].data["expected"] == before + 25
    assert views[0].data["unread"] >= 12  # the guardian comments on half of the new children
    assert "barn väntas idag" in response.content.decode()


def test_no_sql_while_schedule_templates_render(frozen, demo, personas, client_for, no_sql_in_templates):  # noqa: F811
    alva, unit = demo["alva"], demo["solrosen"]
    _rows_for([alva], date(2026, 11, 30), 14, personas["other_staff"])
    DayComment.objects.create(child=alva, date=date(2026, 11, 30), author=personas["guardian"], body="Mormor hämtar")
    Attendance.objects.filter(child=alva, date=date(2026, 11, 30)).update(
        arrived_by=personas["other_staff"], left_by=personas["other_staff"]
    )
    DayEntry.objects.filter(child=alva, date=date(2026, 12, 1)).update(
        changed_by=personas["other_staff"], override_reason="Pappa ringde"
    )
    pages = {
        "guardian": [
            reverse("schedules:overview"),
            reverse("schedules:child-week", args=[alva.pk]),
            reverse("schedules:base-edit", args=[alva.pk]),
            reverse("schedules:days-edit", args=[alva.pk]),
            reverse("hub:dashboard"),
        ],
        "other_staff": [
            reverse("schedules:overview"),
            reverse("schedules:child-week", args=[alva.pk]),
            reverse("schedules:days-edit", args=[alva.pk]),
            reverse("schedules:unit-day", args=[unit.pk]),
            reverse("schedules:unit-planning", args=[unit.pk]),
            reverse("schedules:checkin", args=[unit.pk]),
            reverse("schedules:closed-days", args=[unit.pk]),
            reverse("hub:dashboard"),
        ],
        "principal": [reverse("schedules:closed-days", args=[demo["fritids"].pk]), reverse("hub:dashboard")],
    }
    for role, urls in pages.items():
        client = client_for(role)
        for url in urls:
            assert client.get(url).status_code == 200, url
    assert no_sql_in_templates["queries"] == []
