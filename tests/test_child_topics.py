"""A box that says it does not show a kind of a child's data (`Box.child_topics`) keeps its
cached entry when a service bumps only that kind (hub.cache.bump(topic=...)). These tests
hold every such box to its word: its data for every family of the demo is the same before
and after every kind of change the topic's services make, and the boxes that do show the
topic change with it. A new box that starts showing absence without saying so fails here."""

import contextlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from hub.registry import ABSENCE, CHILD_TOPICS, registry

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


def _absence_changes(families) -> None:
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


def test_boxes_that_leave_out_absence_do_not_change_with_it(demo):
    assert ABSENCE in CHILD_TOPICS
    families = _families()
    assert len(families) >= 2
    quiet = [b for b in registry.all() if b.child_topics is not None and ABSENCE not in b.child_topics]
    showing = [b for b in registry.all() if b.key == "franvaro"]
    assert quiet and showing
    before = _load(quiet + showing, families)
    _absence_changes(families)
    after = _load(quiet + showing, families)
    for box in quiet:
        for viewer in families:
            key = (box.key, viewer.user.pk)
            assert before[key] == after[key], f"{box.key} shows absence data: declare child_topics with 'absence'"
    assert any(before[("franvaro", v.user.pk)] != after[("franvaro", v.user.pk)] for v in families), (
        "the changes above reach the Frånvaro box (else this test proves nothing)"
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
