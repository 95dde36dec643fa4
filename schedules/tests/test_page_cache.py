"""The care pages' cache (schedules/cache.py): each page is served from the cache while
nothing it shows has changed, and every change that affects it shows on the next load.

Every invalidation test loads the page first (so it is cached), makes the change the way the
platform makes it (a service, the admin, a roster write), and loads again: without the bump
the second load would be the cached first one, and the test fails."""

import re
from datetime import date, time

import pytest
from django.conf import settings
from django.urls import reverse

from absence.models import AbsenceReport
from roster.models import Placement
from schedules import services
from schedules.selectors import schedule_version
from schedules.tests.conftest import local
from tests.test_query_budgets import _cold

pytestmark = pytest.mark.django_db

SESSION = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
# A page served from the cache: the session only (the user's row, the viewer, its care
# placements and the page come from the cache, no query).
WARM_QUERIES = SESSION
MONDAY = date(2026, 11, 30)


def _set_week(child, actor, start="08:00", end="15:00", first=MONDAY, last=date(2026, 12, 4)):
    services.schedule_days_set(
        child=child,
        actor=actor,
        start_date=first,
        end_date=last,
        kind="times",
        start_time=time.fromisoformat(start),
        end_time=time.fromisoformat(end),
        version=schedule_version(child=child),
        as_staff=True,
        reason="Test",
    )


def _untokened(response) -> str:
    """The page without its CSRF tokens (masked differently on every request)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def _day_row(html: str, name: str) -> str:
    """The class of the child's row on the day list (status and absence)."""
    match = re.search(r'<tr class="([^"]*)">\s*<th scope="row"><a href="[^"]*">' + name + "</a>", html)
    assert match, name
    return match.group(1)


def _week_counts(html: str) -> dict[str, int]:
    """The planning chart's children per day (its table)."""
    return {
        d: int(n)
        for d, n in re.findall(r'<a href="\?datum=(\d{4}-\d{2}-\d{2})[^"]*">[^<]*</a></th><td>(\d+)</td>', html)
    }


def _checkin_item(html: str, child_pk: int) -> str:
    match = re.search(r'<li class="([^"]*)" id="barn-' + str(child_pk) + r'">(.*?)</li>', html, re.S)
    assert match, child_pk
    return match.group(0)


def _week_day(html: str, day: date) -> str:
    match = re.search(r'<li class="[^"]*" id="dag-' + day.isoformat() + r'">(.*?)</li>\n', html, re.S)
    assert match, day
    return match.group(0)


@pytest.fixture
def pages(demo):
    unit = demo["solrosen"]
    return {
        "day": reverse("schedules:unit-day", args=[unit.pk]) + "?datum=2026-11-30",
        "planning": reverse("schedules:unit-planning", args=[unit.pk]) + "?datum=2026-11-30",
        "checkin": reverse("schedules:checkin", args=[unit.pk]),
        "week": reverse("schedules:child-week", args=[demo["alva"].pk]) + "?vecka=2026-W49",
        "week_now": reverse("schedules:child-week", args=[demo["alva"].pk]) + "?vecka=2026-W48",
    }


# --- Served from the cache, with each request's own CSRF token ---------------------------------


@pytest.mark.parametrize("page", ["day", "planning", "checkin"])
def test_staff_page_warm_is_the_session_only(page, frozen, demo, pages, client_for, django_assert_num_queries):
    staff = client_for("other_staff")
    first = _untokened(staff.get(pages[page]))
    with django_assert_num_queries(WARM_QUERIES):
        again = _untokened(staff.get(pages[page]))
    assert again == first


def test_week_page_warm_is_the_session_only(frozen, demo, pages, client_for, django_assert_num_queries):
    anna = client_for("guardian")
    first = _untokened(anna.get(pages["week"]))
    with django_assert_num_queries(WARM_QUERIES):
        again = _untokened(anna.get(pages["week"]))
    assert again == first


@pytest.mark.parametrize("page", ["day", "week"])
def test_a_warm_page_reads_its_slot_with_the_viewer(page, frozen, demo, pages, client_for, monkeypatch):
    """From the second load of a path on, the page's generations and slot come with the
    viewer's cache round trip (config.generations.remember): no round trip asks for the slot."""
    from hub.testing import cache_reads

    client = client_for("guardian" if page == "week" else "other_staff")
    client.get(pages[page])
    asked = cache_reads(monkeypatch)
    client.get(pages[page])
    slot_reads = [keys for keys in asked if any(k.startswith("care:page:") for k in keys)]
    assert len(slot_reads) == 1 and any(k.startswith("viewer:") for k in slot_reads[0]), asked


def test_each_request_gets_its_own_csrf_token_and_the_form_posts(frozen, demo, pages, client_for, personas):
    """The cached check-in list carries stand-ins; two people on the same cached page get their
    own token and their own path, and a tap with it is accepted (the client enforces CSRF)."""
    from django.test import Client

    from config.frame import CSRF_STANDIN, PATH_STANDIN

    alva = demo["alva"]
    _set_week(alva, personas["other_staff"])
    tokens = []
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        # The login backend conftest's client_for uses (the last one; axes' comes first).
        client.force_login(personas["other_staff"], backend=settings.AUTHENTICATION_BACKENDS[-1])
        url = pages["checkin"] + f"?grupp={demo['solen'].pk}"
        html = client.get(url).content.decode()
        assert CSRF_STANDIN not in html and PATH_STANDIN not in html
        assert f'hx-post="{url.replace("&", "&amp;")}"' in html
        item = _checkin_item(html, alva.pk)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', item).group(1)
        tokens.append(token)
        response = client.post(url, {"csrfmiddlewaretoken": token, "child": alva.pk, "action": "arrive"})
        assert response.status_code == 302
        client.post(url, {"csrfmiddlewaretoken": token, "child": alva.pk, "action": "undo-arrive"})
    assert tokens[0] != tokens[1]


# --- Query counts: the same for 5 and 25 children, cold and warm ---------------------------------


def _children(unit, group_name: str, size: int, author):
    from schedules.tests.test_query_budgets import _group_of

    return _group_of(unit, group_name, size, author)


# Cold (every cached entry void): session, user, the viewer (children, duties), the unit's
# groups, then per page: the day list and check-in: placements with child and reports,
# bases, day entries, closed days, comments, attendance; the planning chart: placements with
# the week's reports, bases, day entries, closed days, the unit's hours.
COLD = {"day": SESSION + 10, "checkin": SESSION + 10, "planning": SESSION + 9}


@pytest.mark.parametrize("size", [5, 25])
@pytest.mark.parametrize("page", ["day", "planning", "checkin"])
def test_staff_pages_same_queries_for_5_and_25(
    page, size, frozen, demo, pages, personas, client_for, django_assert_num_queries
):
    unit = demo["solrosen"]
    group = _children(unit, f"Grupp{size}", size, personas["guardian"])
    url = pages[page] + ("&" if "?" in pages[page] else "?") + f"grupp={group.pk}"
    staff = client_for("other_staff")
    _cold()
    with django_assert_num_queries(COLD[page]):
        html = staff.get(url).content.decode()
    if page == "day":
        assert html.count('<tr class="sched-row') == size
    if page == "checkin":
        assert html.count('<li class="checkin') == size
    if page == "planning":
        assert _week_counts(html)["2026-11-30"] == size
    with django_assert_num_queries(WARM_QUERIES):
        staff.get(url)


# --- Invalidation: every change that affects a page shows on the next load ------------------


def test_care_times_saved_through_the_service_show(frozen, demo, pages, personas, client_for):
    alva = demo["alva"]
    _set_week(alva, personas["other_staff"])
    staff, anna = client_for("other_staff"), client_for("guardian")
    assert "08:00–15:00" in _week_day(anna.get(pages["week"]).content.decode(), date(2026, 12, 1))
    staff.get(pages["day"])
    before = _week_counts(staff.get(pages["planning"]).content.decode())
    # The guardian's base schedule from the first open day: the care weeks page changes.
    services.schedule_base_set(
        child=alva,
        actor=personas["guardian"],
        start_date=date(2026, 12, 14),
        weeks=[[(time(7), time(16))] * 5],
        version=schedule_version(child=alva),
    )
    week3 = reverse("schedules:child-week", args=[alva.pk]) + "?vecka=2026-W51"
    assert "07:00–16:00" in anna.get(week3).content.decode()
    # Staff change Monday to ledig: day list, planning chart and care weeks follow.
    services.schedule_days_set(
        child=alva,
        actor=personas["other_staff"],
        start_date=MONDAY,
        end_date=None,
        kind="ledig",
        start_time=None,
        end_time=None,
        version=schedule_version(child=alva),
        as_staff=True,
        reason="Ringde",
    )
    assert "sched-row--ledig" in _day_row(staff.get(pages["day"]).content.decode(), "Alva Andersson")
    after = _week_counts(staff.get(pages["planning"]).content.decode())
    assert after["2026-11-30"] == before["2026-11-30"] - 1
    assert "Ledig" in _week_day(anna.get(pages["week_now"]).content.decode(), MONDAY)


def test_days_edited_through_the_form_show(frozen, demo, pages, personas, client_for):
    alva = demo["alva"]
    anna = client_for("guardian")
    assert "09:15–14:00" not in anna.get(pages["week"]).content.decode()
    data = {
        "start_date": "2026-12-09",
        "kind": "times",
        "start_time": "09:15",
        "end_time": "14:00",
        "version": schedule_version(child=alva),
    }
    assert anna.post(reverse("schedules:days-edit", args=[alva.pk]), data).status_code == 302
    assert "09:15–14:00" in _week_day(anna.get(pages["week"]).content.decode(), date(2026, 12, 9))


def test_absence_report_through_the_service_shows(
    frozen, demo, pages, personas, client_for, django_capture_on_commit_callbacks
):
    from absence import services as absence_services

    alva = demo["alva"]
    _set_week(alva, personas["other_staff"])
    staff, anna = client_for("other_staff"), client_for("guardian")
    assert "absent" not in _day_row(staff.get(pages["day"]).content.decode(), "Alva Andersson")
    before = _week_counts(staff.get(pages["planning"]).content.decode())
    assert "Frånvarande" not in _checkin_item(staff.get(pages["checkin"]).content.decode(), alva.pk)
    assert "Frånvarande" not in _week_day(anna.get(pages["week"]).content.decode(), date(2026, 12, 1))
    with django_capture_on_commit_callbacks(execute=True):
        absence_services.absence_report_create(
            children=[alva],
            reported_by=personas["guardian"],
            start_date=MONDAY,
            end_date=date(2026, 12, 1),
            reason="sjuk",
        )
    assert "sched-row--absent" in _day_row(staff.get(pages["day"]).content.decode(), "Alva Andersson")
    after = _week_counts(staff.get(pages["planning"]).content.decode())
    assert after["2026-11-30"] == before["2026-11-30"] - 1
    assert after["2026-12-01"] == before["2026-12-01"] - 1
    assert after["2026-12-02"] == before["2026-12-02"]
    assert "sched-flag--absent" in _checkin_item(staff.get(pages["checkin"]).content.decode(), alva.pk)
    assert "Frånvarande" in _week_day(anna.get(pages["week"]).content.decode(), date(2026, 12, 1))


def test_planning_chart_follows_a_report_made_or_removed_in_the_admin(frozen, demo, pages, personas, client_for):
    """The chart counts what the day list and the tablet show: a report added in the admin
    (which never touches the care day's mark) makes the child absent; removed in the admin,
    the child is expected again."""
    alva = demo["alva"]
    _set_week(alva, personas["other_staff"])
    staff, admin = client_for("other_staff"), client_for("admin")
    before = _week_counts(staff.get(pages["planning"]).content.decode())
    data = {"child": alva.pk, "reported_by": personas["guardian"].pk, "reason": "sjuk"}
    data |= {"start_date": "2026-12-02", "end_date": "2026-12-02"}
    assert admin.post(reverse("admin:absence_absencereport_add"), data).status_code == 302
    report = AbsenceReport.objects.get(child=alva)
    during = _week_counts(staff.get(pages["planning"]).content.decode())
    assert during["2026-12-02"] == before["2026-12-02"] - 1
    assert {d: n for d, n in during.items() if d != "2026-12-02"} == {
        d: n for d, n in before.items() if d != "2026-12-02"
    }
    # The chart of that day (per quarter) agrees with the week's count.
    wednesday = staff.get(pages["planning"].replace("2026-11-30", "2026-12-02")).content.decode()
    assert f"Som mest {during['2026-12-02']} barn" in wednesday or during["2026-12-02"] == 0
    response = admin.post(reverse("admin:absence_absencereport_delete", args=[report.pk]), {"post": "yes"})
    assert response.status_code == 302 and not AbsenceReport.objects.filter(pk=report.pk).exists()
    assert _week_counts(staff.get(pages["planning"]).content.decode()) == before


def test_checkin_and_checkout_show(demo, pages, personas, client_for, time_machine):
    time_machine.move_to(local(2026, 11, 30, 9, 0), tick=False)
    alva = demo["alva"]
    _set_week(alva, personas["other_staff"])
    staff, anna = client_for("other_staff"), client_for("guardian")
    assert "Kom 09:00" not in staff.get(pages["day"]).content.decode()
    assert "checkin--here" not in _checkin_item(staff.get(pages["checkin"]).content.decode(), alva.pk)
    assert "Kom 09:00" not in anna.get(pages["week_now"]).content.decode()
    assert staff.post(pages["checkin"], {"child": alva.pk, "action": "arrive"}).status_code == 302
    assert "Kom 09:00" in staff.get(pages["day"]).content.decode()
    assert "checkin--here" in _checkin_item(staff.get(pages["checkin"]).content.decode(), alva.pk)
    assert "Kom 09:00 (Petra Pedagog)" in _week_day(anna.get(pages["week_now"]).content.decode(), MONDAY)
    time_machine.move_to(local(2026, 11, 30, 15, 10), tick=False)
    assert staff.post(pages["checkin"], {"child": alva.pk, "action": "leave"}).status_code == 302
    assert "checkin--gone" in _checkin_item(staff.get(pages["checkin"]).content.decode(), alva.pk)
    assert "gick 15:10" in staff.get(pages["day"]).content.decode()
    assert "Gick 15:10" in _week_day(anna.get(pages["week_now"]).content.decode(), MONDAY)


def test_checkin_does_not_void_the_hub(demo, personas, client_for, time_machine):
    """A tap bumps only what the care pages read: the guardian's cached Hub stays warm."""
    from config import generations as gen

    time_machine.move_to(local(2026, 11, 30, 9, 0), tick=False)
    alva = demo["alva"]
    before = gen.read([gen.child_key(alva.pk), gen.unit_staff_key(demo["solrosen"].pk)])[0]
    services.attendance_tap(child=alva, actor=personas["other_staff"], action="arrive")
    assert gen.read([gen.child_key(alva.pk), gen.unit_staff_key(demo["solrosen"].pk)])[0] == before


def test_not_arrived_shows_when_the_start_time_passes(demo, pages, personas, client_for, time_machine):
    """Nothing is bumped when a child's start time passes; the cached list ends there."""
    time_machine.move_to(local(2026, 11, 30, 7, 0), tick=False)
    alva = demo["alva"]
    _set_week(alva, personas["other_staff"], start="08:00")
    staff = client_for("other_staff")
    assert "Inte kommit" not in _checkin_item(staff.get(pages["checkin"]).content.decode(), alva.pk)
    time_machine.move_to(local(2026, 11, 30, 8, 0), tick=False)
    assert "Inte kommit" in _checkin_item(staff.get(pages["checkin"]).content.decode(), alva.pk)


def test_closed_day_shows(frozen, demo, pages, personas, client_for):
    alva, unit = demo["alva"], demo["solrosen"]
    _set_week(alva, personas["other_staff"], first=date(2026, 12, 7), last=date(2026, 12, 11))
    staff, anna = client_for("other_staff"), client_for("guardian")
    day = reverse("schedules:unit-day", args=[unit.pk]) + "?datum=2026-12-09"
    planning = reverse("schedules:unit-planning", args=[unit.pk]) + "?datum=2026-12-09"
    assert "sched-row--times" in _day_row(staff.get(day).content.decode(), "Alva Andersson")
    assert _week_counts(staff.get(planning).content.decode())["2026-12-09"] > 0
    assert "Stängt" not in _week_day(anna.get(pages["week"]).content.decode(), date(2026, 12, 9))
    services.closed_day_create(unit=unit, actor=personas["principal"], day=date(2026, 12, 9), reason="studiedag")
    assert "sched-row--stangt" in _day_row(staff.get(day).content.decode(), "Alva Andersson")
    assert _week_counts(staff.get(planning).content.decode())["2026-12-09"] == 0
    assert "Stängt" in _week_day(anna.get(pages["week"]).content.decode(), date(2026, 12, 9))


def test_placement_changes_show(frozen, demo, pages, personas, client_for):
    """A child placed in the unit appears on its pages; an ended placement takes the child off
    (roster's signals bump the unit and the child)."""
    bella, alva = demo["bella"], demo["alva"]
    staff, anna = client_for("other_staff"), client_for("guardian")
    assert "Bella Berg" not in staff.get(pages["day"]).content.decode()
    assert "Bella Berg" not in staff.get(pages["checkin"]).content.decode()
    before = _week_counts(staff.get(pages["planning"]).content.decode())
    placement = Placement.objects.create(
        child=bella, unit=demo["solrosen"], group=demo["solen"], start_date=date(2026, 11, 1)
    )
    _set_week(bella, personas["other_staff"])
    assert "Bella Berg" in staff.get(pages["day"]).content.decode()
    assert "Bella Berg" in staff.get(pages["checkin"]).content.decode()
    assert _week_counts(staff.get(pages["planning"]).content.decode())["2026-11-30"] == before["2026-11-30"] + 1
    placement.delete()
    assert "Bella Berg" not in staff.get(pages["day"]).content.decode()
    # The child's own page: its placement ends, the days after it are outside the placement.
    assert "Ingen placering" not in anna.get(pages["week"]).content.decode()
    own = Placement.objects.get(child=alva, unit=demo["solrosen"])
    own.end_date = date(2026, 12, 4)
    own.save()
    assert "Ingen placering" in _week_day(anna.get(pages["week"]).content.decode(), date(2026, 12, 7))


def test_comments_and_reading_them_show(frozen, demo, pages, personas, client_for):
    alva = demo["alva"]
    staff, anna = client_for("other_staff"), client_for("guardian")
    staff_week = client_for("other_staff")
    assert "Mormor hämtar" not in staff.get(pages["day"]).content.decode()
    assert "Mormor hämtar" not in staff_week.get(pages["week_now"]).content.decode()
    services.day_comment_create(
        child=alva, author=personas["guardian"], day=MONDAY, body="Mormor hämtar", by_staff=False
    )
    assert "Mormor hämtar" in _day_row_html(staff.get(pages["day"]).content.decode())
    staff_page = staff_week.get(pages["week_now"]).content.decode()
    assert "Mormor hämtar" in staff_page and "Markera kommentarerna som lästa" in staff_page
    # Staff read them on the day list: the staff's view of the child's week follows.
    unit = demo["solrosen"]
    staff.post(reverse("schedules:unit-comments-read", args=[unit.pk]), {"datum": "2026-11-30"})
    assert "Markera kommentarerna som lästa" not in staff.get(pages["day"]).content.decode()
    assert "Markera kommentarerna som lästa" not in staff_week.get(pages["week_now"]).content.decode()
    # A staff comment and the guardian reading it.
    services.day_comment_create(child=alva, author=personas["other_staff"], day=MONDAY, body="Tack!", by_staff=True)
    assert "Markera kommentarerna som lästa" in anna.get(pages["week_now"]).content.decode()
    anna.post(reverse("schedules:comments-read", args=[alva.pk]), {"vecka": "2026-W48"})
    assert "Markera kommentarerna som lästa" not in anna.get(pages["week_now"]).content.decode()


def _day_row_html(html: str) -> str:
    start = html.index(">Alva Andersson</a>")
    return html[start : html.index("</tr>", start)]


def test_a_renamed_child_shows_on_the_unit_pages(frozen, demo, pages, client_for):
    """The SS 12000 import saves a changed child one by one (no admin log entry)."""
    alva = demo["alva"]
    staff = client_for("other_staff")
    for page in ("day", "checkin"):
        assert "Alva Andersson" in staff.get(pages[page]).content.decode()
    alva.given_name = "Alvina"
    alva.save()
    for page in ("day", "checkin"):
        html = staff.get(pages[page]).content.decode()
        assert "Alvina Andersson" in html and "Alva Andersson" not in html


def test_cached_templates_use_nothing_of_the_request():
    """The cached content is shared by everyone who may see the page and rendered without a
    request: a template that read the request, the user or a real CSRF token would show one
    person's data to another (or nothing). The token and path come in as stand-ins."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "templates" / "schedules"
    names = ["child_week_content.html", "unit_day_content.html", "unit_planning_content.html"]
    names += ["checkin_content.html", "_staff_nav.html"]
    for name in names:
        source = (folder / name).read_text()
        for word in ("request", "user", "perms", "messages"):
            assert not re.search(r"\{[{%][^}]*\b" + word + r"\b", source), (name, word)
