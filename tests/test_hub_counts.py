"""The principal's Hub tells one story about today's absence at the fritidshem: the Frånvaro
box and the care-schedule box (Omsorgstider) count the same children as absent, and an absent
child is never also "expected" – also when a report has not reached the care schedule (made
in the admin), and when a report is gone but its mark on the care day is left behind."""

import pytest
from django.urls import reverse
from django.utils import timezone

from absence.models import AbsenceReport, Reason
from hub.testing import hub_board
from roster.models import Guardianship, Placement, active_q
from schedules.models import DayEntry
from schedules.selectors import ScheduleData

pytestmark = pytest.mark.django_db


def _fritids_counts(client, unit) -> dict:
    """What the principal's Hub shows for the fritidshem (both boxes), read from the page."""
    response = client.get(reverse("hub:dashboard"))
    assert response.status_code == 200
    column = next(c for c in hub_board(response).staff if c.title == unit.name)
    boxes = {view.box.key: view.data for view in column.boxes}
    absence, care = boxes["franvaro"], boxes["schema-fritids"]
    html = response.content.decode()
    # The page says it too: "N frånvarande idag" (Frånvaro) and "N frånvarande" (Omsorgstider).
    assert f"{len(absence['absent'])} frånvarande idag" in html
    return {
        "franvaro": len(absence["absent"]),
        "franvaro_total": absence["total"],
        "omsorg_absent": care["absent"],
        "expected": care["expected"],
        "names": {row["name"] for row in absence["absent"]},
    }


def _assert_agree(counts: dict) -> None:
    assert counts["franvaro"] == counts["franvaro_total"] == counts["omsorg_absent"], counts


def _child_expected_today(unit):
    """A child at the fritidshem with times today, no report and no absent mark."""
    today = timezone.localdate()
    placements = list(Placement.objects.filter(active_q(), unit=unit).select_related("child", "unit__care_hours"))
    reported = set(
        AbsenceReport.objects.filter(start_date__lte=today, end_date__gte=today).values_list("child_id", flat=True)
    )
    data = ScheduleData(child_ids=[p.child_id for p in placements], start=today, end=today)
    for placement in sorted(placements, key=lambda p: p.child_id):
        day = data.day(placement.child_id, today)
        if day.status == "times" and not day.absent and placement.child_id not in reported:
            return placement.child
    raise AssertionError("the demo has no fritids child with times today")


def test_principal_hub_counts_agree_on_the_demo_day(client_for, demo):
    counts = _fritids_counts(client_for("principal"), demo["fritids"])
    _assert_agree(counts)
    assert counts["franvaro"] > 0 and counts["expected"] > 0  # the demo has both


def test_a_sick_report_counts_as_absent_in_both_boxes(client_for, demo, django_capture_on_commit_callbacks):
    from absence.services import absence_report_create

    principal = client_for("principal")
    before = _fritids_counts(principal, demo["fritids"])  # warms the Hub's cache too
    child = _child_expected_today(demo["fritids"])
    guardian = Guardianship.objects.active().filter(child=child).first().guardian
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        absence_report_create(
            children=[child], reported_by=guardian, start_date=today, end_date=today, reason=Reason.SJUK
        )
    assert DayEntry.objects.get(child=child, date=today).absent  # the care schedule got it

    after = _fritids_counts(principal, demo["fritids"])
    _assert_agree(after)
    assert child.full_name in after["names"]
    assert after["franvaro"] == before["franvaro"] + 1
    assert after["expected"] == before["expected"] - 1


def test_a_report_that_never_reached_the_care_schedule_counts_in_both(client_for, demo):
    """A report added in the admin does not mark the care day: the boxes still agree."""
    principal = client_for("principal")
    before = _fritids_counts(principal, demo["fritids"])
    child = _child_expected_today(demo["fritids"])
    guardian = Guardianship.objects.active().filter(child=child).first().guardian
    today = timezone.localdate().isoformat()
    response = client_for("admin").post(
        reverse("admin:absence_absencereport_add"),
        {"child": child.pk, "reported_by": guardian.pk, "start_date": today, "end_date": today, "reason": Reason.SJUK},
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not DayEntry.objects.filter(child=child, absent=True).exists()

    after = _fritids_counts(principal, demo["fritids"])
    _assert_agree(after)
    assert child.full_name in after["names"]
    assert after["omsorg_absent"] == before["omsorg_absent"] + 1
    assert after["expected"] == before["expected"] - 1  # sick, so not expected, times or not


def test_a_removed_report_leaves_no_absence_in_either_box(client_for, demo, django_capture_on_commit_callbacks):
    """The report is deleted in the admin; its absent mark on the care day stays behind. Both
    boxes follow the reports: the child is expected again, absent in neither."""
    from absence.services import absence_report_create

    principal = client_for("principal")
    before = _fritids_counts(principal, demo["fritids"])
    child = _child_expected_today(demo["fritids"])
    guardian = Guardianship.objects.active().filter(child=child).first().guardian
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        [report] = absence_report_create(
            children=[child],
            reported_by=guardian,
            start_date=today,
            end_date=today,
            reason=Reason.ANNAT,
            comment="Tandläkare",
        )
    response = client_for("admin").post(
        reverse("admin:absence_absencereport_delete", args=[report.pk]), {"post": "yes"}
    )
    assert response.status_code == 302 and not AbsenceReport.objects.filter(pk=report.pk).exists()
    assert DayEntry.objects.get(child=child, date=today).absent  # left behind

    after = _fritids_counts(principal, demo["fritids"])
    _assert_agree(after)
    assert child.full_name not in after["names"]
    assert after == {**before, "names": after["names"]} and after["names"] == before["names"]


def test_a_principal_who_teaches_a_group_still_sees_the_whole_unit(client_for, demo, personas):
    """The Frånvaro box shows the principal's whole unit, not only the group they teach."""
    from roster.models import Group, GroupStaff

    principal = client_for("principal")
    before = _fritids_counts(principal, demo["fritids"])
    group = Group.objects.filter(unit=demo["fritids"]).order_by("name").first()
    GroupStaff.objects.create(user=personas["principal"], group=group, role="pedagog", start_date=timezone.localdate())
    after = _fritids_counts(principal, demo["fritids"])
    _assert_agree(after)
    assert after["names"] == before["names"]
