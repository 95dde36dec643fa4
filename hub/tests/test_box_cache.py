"""The box contract: the Hub caches every box's data under versions, and each write that
changes what a box shows bumps them, so the next Hub load shows it (no TTL staleness).
Each test warms the cache first and proves the warm load ran no loader, then writes through
the real service and checks the next load."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from config import generations
from hub import services as hub_services
from hub.testing import hub_board
from roster.policy import viewer_build

pytestmark = pytest.mark.django_db
HUB = reverse("hub:dashboard")


def _boxes(response, *, child=None, unit=None) -> dict:
    board = hub_board(response)
    if child is not None:
        column = next(c for c in board.family if c.child_id == child.pk)
    else:
        column = next(c for c in board.staff if c.key == f"unit-{unit.pk}")
    return {view.box.key: view.data for view in column.boxes}


@pytest.fixture
def loads(monkeypatch):
    """Counts calls of the boxes' loaders: a warm Hub calls none."""
    from hub.registry import registry

    calls = []
    for box in registry.all():
        for name in ("load_for_children", "load_for_units"):
            original = getattr(box, name)

            def counting(*args, _original=original, _key=box.key, **kwargs):
                calls.append(_key)
                return _original(*args, **kwargs)

            monkeypatch.setattr(box, name, counting)
    return calls


def _warm(client, loads):
    client.get(HUB)
    loads.clear()
    response = client.get(HUB)
    assert loads == [], "a warm Hub loads nothing"
    return response


def test_guardian_who_reports_sick_sees_it_on_the_next_load(client_for, demo, personas, loads):
    from absence.services import absence_report_create

    anna = client_for("guardian")
    before = _boxes(_warm(anna, loads), child=demo["elias"])["franvaro"]
    assert before["today"] == []
    today = timezone.localdate()
    absence_report_create(
        children=[demo["elias"]], reported_by=personas["guardian"], start_date=today, end_date=today, reason="sjuk"
    )
    loads.clear()  # hub_board loaded the cached boxes' data afresh
    response = anna.get(HUB)
    loaded = list(loads)  # by the request alone
    after = _boxes(response, child=demo["elias"])["franvaro"]
    assert [r["reason_label"] for r in after["today"]] == ["Sjuk"]
    # Elias's boxes reload (his generation changed); Alva's stay cached.
    assert "franvaro" in loaded and "schema-forskola" not in loaded


def test_teacher_sees_the_pupil_reported_sick(client_for, demo, personas, loads):
    from absence.services import absence_report_create

    teacher = client_for("teacher")
    _warm(teacher, loads)
    today = timezone.localdate()
    absence_report_create(
        children=[demo["elias"]], reported_by=personas["guardian"], start_date=today, end_date=today, reason="sjuk"
    )
    data = _boxes(teacher.get(HUB), unit=demo["norrskolan"])["franvaro"]
    assert "Elias Andersson" in [a["name"] for a in data["absent"]]


def test_the_view_path_too_a_quick_sick_post_shows_on_the_next_load(client_for, demo, loads):
    anna = client_for("guardian")
    _warm(anna, loads)
    response = anna.post(reverse("absence:quick-sick", args=[demo["elias"].pk]))
    assert response.status_code == 302
    html = anna.get(HUB).content.decode()
    assert "Friskanmäl" in html


def test_news_for_the_group_shows_at_once_and_a_scheduled_item_at_its_time(client_for, demo, personas, loads):
    from roster.policy import Viewer

    anna = client_for("guardian")
    _warm(anna, loads)
    teacher = viewer_build(personas["teacher"])
    hub_services.news_create(
        viewer=teacher, title="Utflykt i morgon", body="", audience=f"group:{demo['3b'].pk}", publish_at=timezone.now()
    )
    later = timezone.now() + timedelta(hours=2)
    hub_services.news_create(
        viewer=teacher, title="Schemalagd nyhet", body="", audience=f"group:{demo['3b'].pk}", publish_at=later
    )
    titles = [n["title"] for n in _boxes(anna.get(HUB), child=demo["elias"])["information"]["news"]]
    assert "Utflykt i morgon" in titles and "Schemalagd nyhet" not in titles
    # Alva (Solen) is not in 3B: her box did not change.
    assert "Utflykt i morgon" not in [
        n["title"] for n in _boxes(anna.get(HUB), child=demo["alva"])["information"]["news"]
    ]
    loads.clear()
    with time_machine.travel(later + timedelta(minutes=1), tick=False):
        titles = [n["title"] for n in _boxes(anna.get(HUB), child=demo["elias"])["information"]["news"]]
    assert "Schemalagd nyhet" in titles, "the entry knew when the scheduled item appears"
    assert isinstance(teacher, Viewer)


def test_news_deleted_disappears(client_for, demo, personas, loads):
    anna = client_for("guardian")
    titles = [n["title"] for n in _boxes(_warm(anna, loads), child=demo["elias"])["information"]["news"]]
    assert "Veckobrev 3B" in titles
    hub_services.news_delete(viewer=viewer_build(personas["teacher"]), news=demo["3b_news"])
    titles = [n["title"] for n in _boxes(anna.get(HUB), child=demo["elias"])["information"]["news"]]
    assert "Veckobrev 3B" not in titles


def test_calendar_event_for_the_unit_shows_at_once(client_for, demo, personas, loads):
    anna = client_for("guardian")
    _warm(anna, loads)
    hub_services.event_create(
        viewer=viewer_build(personas["principal"]),
        title="Föräldramöte",
        description="",
        event_type="ovrigt",
        audience=f"unit:{demo['norrskolan'].pk}",
        all_day=True,
        start_date=timezone.localdate() + timedelta(days=1),
    )
    titles = [e["title"] for e in _boxes(anna.get(HUB), child=demo["elias"])["kalender"]]
    assert "Föräldramöte" in titles


def test_a_studiedag_cancels_the_lessons_in_the_box(client_for, demo, personas, loads):
    anna = client_for("guardian")
    before = _boxes(_warm(anna, loads), child=demo["elias"])["lektioner"]
    today_lessons = before["days"][0]["lessons"]
    assert today_lessons and all(o["held"] for o in today_lessons)
    # Studiedagar are closed periods in roster (entered in the admin, whose edits void the
    # cache); here written directly, with the bump the admin's change makes.
    from hub.cache import bump
    from roster.models import ClosedPeriod

    today = timezone.localdate()
    ClosedPeriod.objects.create(unit=demo["norrskolan"], kind="studiedag", start_date=today, end_date=today)
    bump(unit_ids=[demo["norrskolan"].pk])
    after = _boxes(anna.get(HUB), child=demo["elias"])["lektioner"]
    assert [o["not_held_reason"] for o in after["days"][0]["lessons"]] == ["Studiedag"] * len(today_lessons)


def test_a_lesson_changed_in_the_admin_shows_at_once(client_for, demo, loads):
    from school.models import Lesson

    anna = client_for("guardian")
    _warm(anna, loads)
    lesson = Lesson.objects.filter(group=demo["3b"], weekday=timezone.localdate().weekday()).first()
    admin = client_for("admin")
    from django.contrib.admin.models import CHANGE, LogEntry

    # What the admin's change view does after saving: the LogEntry voids the box cache.
    lesson.room = "Aulan"
    lesson.save()
    LogEntry.objects.log_actions(user_id=admin.session["_auth_user_id"], queryset=[lesson], action_flag=CHANGE)
    rooms = [o["room"] for o in _boxes(anna.get(HUB), child=demo["elias"])["lektioner"]["days"][0]["lessons"]]
    assert "Aulan" in rooms


def _next_open_weekday():
    from schedules.selectors import first_open_day

    day = first_open_day()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def test_care_schedule_change_shows_for_the_guardian_and_in_the_staff_counts(
    client_for, demo, personas, loads, django_capture_on_commit_callbacks
):
    from absence.services import absence_report_create
    from schedules import selectors as sched
    from schedules.services import care_absence_set, schedule_days_set

    anna = client_for("guardian")
    staff = client_for("other_staff")
    _warm(anna, loads)
    _warm(staff, loads)
    alva = demo["alva"]
    today = timezone.localdate()
    # The box shows the next days; change one after the lock (what a guardian may change).
    box_days = [d["date"] for d in _boxes(anna.get(HUB), child=alva)["schema-forskola"]["days"]]
    day = next((d for d in box_days if not sched.is_locked(d)), None) or _next_open_weekday()
    schedule_days_set(
        child=alva,
        actor=personas["guardian"],
        start_date=day,
        end_date=day,
        kind="times",
        start_time=time(7, 5),
        end_time=time(15, 55),
        version=sched.schedule_version(child=alva),
    )
    days = {d["date"]: d for d in _boxes(anna.get(HUB), child=alva)["schema-forskola"]["days"]}
    if day in days:
        assert days[day]["label"] == "07.05–15.55"
    # The care day marked absent (what an absence report does through schedules' service).
    care_absence_set(child=alva, start_date=today, end_date=today, absent=True)
    assert _boxes(anna.get(HUB), child=alva)["schema-forskola"]["days"][0]["absent"]
    care_absence_set(child=alva, start_date=today, end_date=today, absent=False)
    assert not _boxes(anna.get(HUB), child=alva)["schema-forskola"]["days"][0]["absent"]
    # The staff counts follow the absence reports, as the Frånvaro box does (tests/test_hub_counts.py).
    before = _boxes(staff.get(HUB), unit=demo["solrosen"])["schema-forskola"]["absent"]
    with django_capture_on_commit_callbacks(execute=True):
        absence_report_create(
            children=[alva], reported_by=personas["guardian"], start_date=today, end_date=today, reason="sjuk"
        )
    assert _boxes(staff.get(HUB), unit=demo["solrosen"])["schema-forskola"]["absent"] == before + 1
    assert _boxes(anna.get(HUB), child=alva)["schema-forskola"]["days"][0]["absent"]


def test_ended_guardianship_hides_the_child_on_the_next_request(client_for, demo, personas):
    from roster.models import Guardianship

    anna = client_for("guardian")
    assert demo["alva"].pk in [c.child_id for c in hub_board(anna.get(HUB)).family]
    assert anna.get(reverse("absence:child-history", args=[demo["alva"].pk])).status_code == 200
    guardianship = Guardianship.objects.get(guardian=personas["guardian"], child=demo["alva"])
    guardianship.end_date = timezone.localdate() - timedelta(days=1)
    guardianship.save()
    assert demo["alva"].pk not in [c.child_id for c in hub_board(anna.get(HUB)).family]
    assert anna.get(reverse("absence:child-history", args=[demo["alva"].pk])).status_code == 404


def test_new_placement_shows_its_boxes_at_once(client_for, demo):
    from roster.models import Placement

    anna = client_for("guardian")
    assert "lektioner" not in _boxes(anna.get(HUB), child=demo["alva"])
    # A bulk update (an import does this) bumps too: the roster's QuerySet does it.
    Placement.objects.filter(child=demo["alva"]).update(end_date=timezone.localdate() - timedelta(days=1))
    assert _boxes(anna.get(HUB), child=demo["alva"]) == {} or demo["alva"].pk not in [
        c.child_id for c in hub_board(anna.get(HUB)).family if c.boxes
    ]
    Placement.objects.create(
        child=demo["alva"], unit=demo["norrskolan"], group=demo["3b"], start_date=timezone.localdate()
    )
    boxes = _boxes(anna.get(HUB), child=demo["alva"])
    assert "lektioner" in boxes and "schema-forskola" not in boxes


def test_ended_duty_removes_the_unit_at_once(client_for, demo, personas):
    from roster.models import StaffDuty

    principal = client_for("principal")
    assert len(hub_board(principal.get(HUB)).staff) == 2
    StaffDuty.objects.filter(user=personas["principal"], unit=demo["fritids"]).delete()
    assert [c.title for c in hub_board(principal.get(HUB)).staff] == ["Norrskolan"]


def test_the_hub_serves_without_the_cache_and_recovers(client_for, demo, personas, monkeypatch):
    """Cache unreachable: pages keep serving (computed), a bump that failed voids every
    entry once the cache answers again."""
    from django.core.cache import cache

    from absence.services import absence_report_create

    anna = client_for("guardian")
    anna.get(HUB)

    # What config.cache.ResilientRedisCache does while Redis is away: reads miss, writes are
    # dropped and set_many names the keys it could not store. (A backend that raises instead
    # is handled too: config/generations.py catches it.)
    with monkeypatch.context() as down:
        down.setattr(cache, "get_many", lambda keys, *a, **k: {})
        down.setattr(cache, "set_many", lambda data, *a, **k: list(data))
        down.setattr(cache, "set_many_sent", lambda data, *a, **k: lambda: None, raising=False)
        down.setattr(cache, "get", lambda key, default=None, *a, **k: default)
        down.setattr(cache, "set", lambda *a, **k: None)
        down.setattr(cache, "add", lambda *a, **k: True)
        today = timezone.localdate()
        absence_report_create(
            children=[demo["elias"]], reported_by=personas["guardian"], start_date=today, end_date=today, reason="sjuk"
        )
        response = anna.get(HUB)
        assert response.status_code == 200
        assert _boxes(response, child=demo["elias"])["franvaro"]["today"], "computed without the cache"
    # Back: the lost bump must not leave the old cached box in place.
    assert _boxes(anna.get(HUB), child=demo["elias"])["franvaro"]["today"]


def test_a_cache_that_raises_is_survived_too(client_for, demo, monkeypatch):
    from config import generations as gen

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(gen.cache, "get_many", broken)
    monkeypatch.setattr(gen.cache, "set_many", broken)
    assert gen.read([gen.EPOCH]) is None
    gen.bump_keys([gen.EPOCH])
    assert gen._state["bump_failed"]
    monkeypatch.undo()
    gen.read([gen.EPOCH])
    assert not gen._state["bump_failed"], "the epoch was bumped once the cache answered"


def test_a_lost_generation_only_causes_a_miss(client_for, demo, loads):
    from django.core.cache import cache

    anna = client_for("guardian")
    _warm(anna, loads)
    cache.delete(generations.child_key(demo["elias"].pk))
    anna.get(HUB)
    assert set(loads) >= {"franvaro", "lektioner"}


def test_bump_inside_a_transaction_bumps_again_after_commit(demo, django_capture_on_commit_callbacks):
    from django.core.cache import cache
    from django.db import transaction

    from hub.cache import bump

    key = generations.child_key(demo["elias"].pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        bump(child_ids=[demo["elias"].pk])
        first = cache.get(key)
        assert first
    assert len(callbacks) == 1
    assert cache.get(key) != first, "a reader between the two bumps cannot leave old rows cached"
    # The child's units' staff views follow (staff boxes count the unit's children); what the
    # unit's other families see does not.
    assert cache.get(generations.unit_staff_key(demo["norrskolan"].pk))
    assert cache.get(generations.unit_key(demo["norrskolan"].pk)) is None


def test_a_sick_report_leaves_the_other_families_hub_cached(client_for, demo, personas, loads):
    """Bo's child is in 3B with Elias. Anna's sick report for Elias reloads Elias's boxes and
    the teacher's, not Bo's: one family's change must not void every family's Hub in the
    school (at 07:30 that was most of the morning's Hub loads)."""
    from absence.services import absence_report_create

    bo, teacher = client_for("other_guardian"), client_for("teacher")
    _warm(bo, loads)
    _warm(teacher, loads)
    today = timezone.localdate()
    absence_report_create(
        children=[demo["elias"]], reported_by=personas["guardian"], start_date=today, end_date=today, reason="sjuk"
    )
    loads.clear()
    response = bo.get(HUB)
    assert loads == [], "Bo's Hub stays cached"
    assert "hub/board.jinja" not in [t.name for t in response.templates]
    teacher.get(HUB)
    assert "franvaro" in loads, "the teacher's absence box reloads"


def test_entries_are_per_day(client_for, demo, personas, loads):
    anna = client_for("guardian")
    _warm(anna, loads)
    tomorrow = timezone.localtime() + timedelta(days=1)
    with time_machine.travel(datetime.combine(tomorrow.date(), time(7, 0), tzinfo=tomorrow.tzinfo), tick=False):
        anna.force_login(personas["guardian"], backend="accounts.backends.AuthenticationBackend")
        anna.get(HUB)
    assert "lektioner" in loads


def test_box_templates_use_only_their_data():
    """Rendered boxes are cached and shared by everyone who sees the child: a box template
    must not read the request, the user or a CSRF token (POST forms belong on the box's page)."""
    from pathlib import Path

    from hub.cache import box_template
    from hub.registry import registry

    for box in registry.all():
        source = Path(box_template(box.template).origin.name).read_text()
        for forbidden in ("request", "user.", "csrf_token", "perms"):
            assert forbidden not in source, f"{box.template} uses {forbidden}"


def test_a_box_renders_as_hub_box_html_would(demo, eid_user_client, monkeypatch):
    """hub.cache.render puts a box's template into a frame rendered once per box, heading
    level and language: the result must be hub/box.html's, byte for byte, for every box on
    the demo personas' Hubs (families with e-ID, staff), in Swedish and English, and with a
    column title that needs escaping."""
    from django.template.loader import render_to_string
    from django.utils import translation
    from django.utils.safestring import mark_safe

    from hub import cache as box_cache
    from tests.test_query_budgets import _cold, every_persona

    captured = []
    render = box_cache.render

    def capture(view, heading_level, column_title=""):
        captured.append((view, heading_level, column_title))
        return render(view, heading_level, column_title)

    monkeypatch.setattr(box_cache, "render", capture)
    for client in every_persona(eid_user_client).values():
        _cold()
        assert client.get(reverse("hub:dashboard")).status_code == 200
    assert len({view.box.key for view, _h, _c in captured}) >= 12
    for language in ("sv", "en"):
        with translation.override(language):
            for view, heading_level, title in captured:
                for column_title in (title, 'Ada "<b>" & Bo', ""):
                    context = {"view": view, "heading_level": heading_level, "column": {"title": column_title}}
                    inner = box_cache.box_template(view.box.template).render({**context, "data": view.data})
                    context["box_content"] = mark_safe(inner)  # noqa: S308 - autoescaped
                    assert render(view, heading_level, column_title) == render_to_string("hub/box.html", context)


def test_a_locked_box_renders_as_hub_box_html_would(demo, client_for, personas):
    """hub.cache.render_locked (a box behind e-ID, rendered once per box, heading level and
    language) must give hub/box.html's locked box byte for byte: every box a password login
    sees locked, in Swedish and English, with column titles and return paths that need
    escaping."""
    from types import SimpleNamespace

    from django.template.loader import render_to_string
    from django.utils import translation

    from hub import cache as box_cache
    from hub.registry import registry

    response = client_for("guardian").get(reverse("hub:dashboard"))
    assert response.status_code == 200
    assert b"box--locked" in response.content  # the family's e-ID boxes, locked at password level
    from accounts.assurance import LOW

    locked = [box for box in registry.all() if box.assurance != LOW]
    assert locked
    for language in ("sv", "en"):
        with translation.override(language):
            for box in locked:
                for heading_level in ("h3", "h4"):
                    for column_title in ("Anna Andersson", 'Ada "<b>" & Bo', ""):
                        for path in ("/", "/?barn=12", "/?barn=1&x=<a>\"'", "/sida/å ä/"):
                            view = SimpleNamespace(box=box, locked=True, data=None)
                            context = {
                                "view": view,
                                "heading_level": heading_level,
                                "column": {"title": column_title},
                                "request": SimpleNamespace(get_full_path=lambda path=path: path),
                            }
                            expected = render_to_string("hub/box.html", context)
                            assert box_cache.render_locked(box, heading_level, column_title, path) == expected


def _without_tokens(html: str) -> str:
    import re

    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.mark.parametrize("persona", ["guardian", "other_guardian", "student"])
def test_boxes_filled_before_the_morning_are_what_the_familys_first_hub_shows(persona, client_for, personas, loads):
    """hub.tasks.warm_family_boxes fills the boxes every child placed today would show its
    family: the family's first Hub then loads no box that was filled, and is the page it would
    have built itself, byte for byte."""
    from hub import tasks
    from hub.registry import registry

    client = client_for(persona)
    generations.bump_everything()
    built_alone = _without_tokens(client.get(HUB).content.decode())
    loaded_alone = set(loads)

    generations.bump_everything()
    stored = tasks.warm_family_boxes.delay().get()
    assert stored > 0
    loads.clear()
    first = client.get(HUB)

    assert _without_tokens(first.content.decode()) == built_alone
    filled = {
        box.key for box in registry.all() if box.child_cache and box.assurance == "low" and "guardian" in box.audiences
    }
    assert loaded_alone & filled, "the family's Hub has boxes the task fills"
    assert not set(loads) & filled, f"loaded again: {sorted(set(loads) & filled)}"


def test_filling_the_boxes_leaves_what_is_cached_and_costs_a_query_per_box(personas, django_assert_max_num_queries):
    """Entries already cached are left alone (a second run stores nothing), and a batch of
    children costs the children, the units' settings and one bulk load per box."""
    from hub.registry import registry
    from hub.selectors import warm_family_boxes
    from roster.models import Placement, active_q

    child_ids = sorted(
        set(Placement.objects.filter(active_q(on=timezone.localdate())).values_list("child_id", flat=True))
    )
    generations.bump_everything()
    declared = sum(box.queries or 0 for box in registry.all() if box.child_cache)
    with django_assert_max_num_queries(2 + declared):
        assert warm_family_boxes(child_ids=child_ids) > 0
    assert warm_family_boxes(child_ids=child_ids) == 0


def test_a_unit_that_switches_a_box_off_shows_it_on_the_next_load(client_for, demo, loads):
    """Which boxes a unit shows comes with the unit in the cached viewer (roster.policy.
    UNIT_COMPANIONS): a change to it voids the cache, whoever writes it."""
    from hub.models import UnitBoxes

    anna = client_for("guardian")
    alva = next(c for c in hub_board(_warm(anna, loads)).family if c.title == "Alva Andersson")
    assert len(alva.boxes) > 1
    setting = UnitBoxes.objects.create(unit=demo["solrosen"], enabled=["information"])
    alva = next(c for c in hub_board(anna.get(HUB)).family if c.title == "Alva Andersson")
    assert [v.box.key for v in alva.boxes] == ["information"]
    setting.delete()
    alva = next(c for c in hub_board(anna.get(HUB)).family if c.title == "Alva Andersson")
    assert len(alva.boxes) > 1
