"""A box that says it does not show a kind of a child's data (`Box.child_topics`) keeps its
cached entry when a service bumps only that kind (hub.cache.bump(topic=...)). These tests
hold every such box to its word: its data for every family of the demo is the same before
and after every kind of change the topic's services make, and the boxes that do show the
topic change with it. A new box that starts showing absence without saying so fails here."""

import contextlib
from datetime import time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.registry import ABSENCE, CARE, CHILD_TOPICS, DOCUMENTATION, registry

pytestmark = pytest.mark.django_db


def _families():
    from accounts.models import User
    from roster.models import Guardianship
    from roster.policy import viewer_build

    guardians = User.objects.filter(pk__in=Guardianship.objects.values("guardian_id")).order_by("pk")
    return [v for v in (viewer_build(g) for g in guardians) if v.children]


def _load(boxes, families) -> dict:
    return {
        (box.key, viewer.user.pk): box.load_for_children(viewer=viewer, children=viewer.children)
        for box in boxes
        for viewer in families
    }


def _absence_changes(families) -> int:
    """What absence.services does: reports (today, ahead, ended), leave applied and decided."""
    from absence import services
    from absence.models import LeaveApplication

    today = timezone.localdate()
    for viewer in families:
        for child in viewer.children:
            if child.user_id == viewer.user.pk:
                continue
            services.absence_report_create(
                children=[child], reported_by=viewer.user, start_date=today, end_date=today, reason="sjuk"
            )
            services.absence_report_create(
                children=[child],
                reported_by=viewer.user,
                start_date=today + timedelta(days=2),
                end_date=today + timedelta(days=3),
                reason="annat",
                comment="Tandläkare",
            )
            with contextlib.suppress(ValidationError):  # leave is for school days only
                services.leave_apply(
                    child=child,
                    applied_by=viewer.user,
                    start_date=today + timedelta(days=14),
                    end_date=today + timedelta(days=15),
                    reason="Resa",
                )
    assert LeaveApplication.objects.exists()
    return sum(1 for viewer in families for child in viewer.children if child.user_id != viewer.user.pk)


def _care_changes(families) -> int:
    """What schedules.services does for a family: a base schedule, times on a day, a day off,
    a guardian's day comment, a care-day absence mark, comments read. Returns the number of
    children in care it changed."""
    from schedules import services
    from schedules.selectors import CARE_KINDS, schedule_version, weekdays

    today = timezone.localdate()
    days = weekdays(today + timedelta(days=1), today + timedelta(days=14))
    changed = 0
    for viewer in families:
        for child in viewer.children:
            if child.user_id == viewer.user.pk or not any(p.unit.kind in CARE_KINDS for p in child.active_placements):
                continue
            writes = [
                lambda c, user: services.schedule_base_set(
                    child=c,
                    actor=user,
                    start_date=days[5],
                    weeks=[[(time(7, 30), time(16, 0))] * 5],
                    version=schedule_version(child=c),
                ),
                lambda c, user: services.schedule_days_set(
                    child=c,
                    actor=user,
                    start_date=days[1],
                    end_date=days[1],
                    kind="times",
                    start_time=time(9, 0),
                    end_time=time(13, 0),
                    version=schedule_version(child=c),
                    as_staff=True,
                    reason="Test",
                ),
                lambda c, user: services.schedule_days_set(
                    child=c,
                    actor=user,
                    start_date=days[2],
                    end_date=days[2],
                    kind="ledig",
                    start_time=None,
                    end_time=None,
                    version=schedule_version(child=c),
                    as_staff=True,
                    reason="Test",
                ),
                lambda c, user: services.day_comment_create(
                    child=c, author=user, day=days[0], body="Hämtas av mormor", by_staff=True
                ),
                lambda c, user: services.care_absence_set(child=c, start_date=days[3], end_date=days[3], absent=True),
                lambda c, user: services.day_comments_mark_read(
                    child_ids=[c.pk], start=today, end=days[-1], by_staff=False
                ),
            ]
            done = 0
            for write in writes:
                with contextlib.suppress(ValidationError):  # a placement that ends before the day
                    write(child, viewer.user)
                    done += 1
            changed += done == len(writes)
    return changed


def _documentation_changes(families) -> int:
    """What portfolio.services does: an entry about each child published, and one deleted."""
    from accounts.models import User
    from portfolio import services
    from portfolio.models import Entry
    from roster.policy import viewer_build

    staff = viewer_build(User.objects.filter(is_superuser=True).order_by("pk").first())
    changed = 0
    for viewer in families:
        for child in viewer.children:
            group = next((p.group for p in child.active_placements if p.group_id), None)
            if group is None:
                continue

            def write(title, child=child, group=group):
                return services.entry_save(
                    viewer=staff,
                    group=group,
                    kind=Entry.Kind.INDIVIDUAL,
                    children=[child],
                    title=title,
                    body="Vi byggde en koja.",
                    publish=True,
                )

            write("Kojbygge")
            services.entry_delete(viewer=staff, entry=write("Utflykt"))
            changed += 1
    return changed


@pytest.mark.parametrize(
    ("topic", "showing", "change"),
    [
        (ABSENCE, {"franvaro"}, _absence_changes),
        (CARE, {"schema-forskola", "schema-fritids"}, _care_changes),
        (DOCUMENTATION, {"dokumentation"}, _documentation_changes),
    ],
    ids=["absence", "care", "documentation"],
)
def test_boxes_that_leave_out_a_topic_do_not_change_with_it(topic, showing, change, demo):
    """Every box that does not name the topic keeps the same data for every family through
    every kind of change the topic's services make; the boxes that show it move."""
    assert topic in CHILD_TOPICS
    families = _families()
    assert len(families) >= 2
    quiet = [b for b in registry.all() if b.child_topics is not None and topic not in b.child_topics]
    shown = [b for b in registry.all() if b.key in showing]
    assert quiet and len(shown) == len(showing)
    assert topic == ABSENCE or "franvaro" in {b.key for b in quiet}
    before = _load(quiet + shown, families)
    assert change(families) >= 2
    families = _families()  # new viewers: the care boxes keep their load on the viewer for the request
    after = _load(quiet + shown, families)
    for box in quiet:
        for viewer in families:
            key = (box.key, viewer.user.pk)
            assert before[key] == after[key], f"{box.key} shows {topic} data: declare child_topics with {topic!r}"
    assert any(before[(b.key, v.user.pk)] != after[(b.key, v.user.pk)] for b in shown for v in families), (
        f"the changes above reach the boxes that show {topic} (else this test proves nothing)"
    )


def test_a_sick_report_reloads_only_the_boxes_that_show_absence(client_for, demo, personas):
    """Through the Hub: after a sick report, the boxes that left absence out come from the
    cache (their loaders do not run), and the Frånvaro box shows the report."""
    from absence import services
    from hub.registry import Box

    anna = client_for("guardian")
    anna.get("/")
    anna.get("/")
    calls: list[str] = []
    originals = {}
    for box in registry.all():
        original = type(box).load_for_children
        if original is Box.load_for_children:
            continue
        originals[type(box)] = original

        def counting(self, *, viewer, children, _original=original):
            calls.append(self.key)
            return _original(self, viewer=viewer, children=children)

        type(box).load_for_children = counting
    try:
        today = timezone.localdate()
        services.absence_report_create(
            children=[demo["elias"]], reported_by=personas["guardian"], start_date=today, end_date=today, reason="sjuk"
        )
        html = anna.get("/").content.decode()
    finally:
        for cls, original in originals.items():
            cls.load_for_children = original
    reloaded = set(calls)
    assert "franvaro" in reloaded
    quiet = {b.key for b in registry.all() if b.child_topics is not None and ABSENCE not in b.child_topics}
    assert not (reloaded & quiet), f"reloaded though they do not show absence: {sorted(reloaded & quiet)}"
    assert "sjukanmäld" in html.lower() or "sjuk" in html.lower()
