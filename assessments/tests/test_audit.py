"""Every read writes an audit row (who, role, child, what, when, assurance); the guardian
with e-ID sees who read their child's documents; the principal sees logs per child and
per staff member."""

import pytest
from django.urls import reverse

from accounts.models import AuditEvent

PAGES = {
    "assessments:child": "assessments.assessment",
    "assessments:child-grades": "assessments.grade",
    "assessments:child-iup": "assessments.iup",
    "assessments:child-support": "assessments.actionprogramme",
    "assessments:child-notes": "assessments.note",
}


@pytest.mark.parametrize("name", sorted(PAGES))
@pytest.mark.parametrize(
    ("who", "role", "level"),
    [
        ("teacher", "mentor", "low"),
        ("principal", "principal", "low"),
        ("guardian", "guardian", "high"),
        ("student", "student", "high"),
    ],
)
def test_each_read_writes_one_row(name, who, role, level, client_for, eid_client_for, personas, demo):
    client = eid_client_for(who) if level == "high" else client_for(who)
    elias = demo["elias"]
    before = AuditEvent.objects.count()
    assert client.get(reverse(name, args=[elias.pk])).status_code == 200
    events = list(AuditEvent.objects.order_by("-pk")[: AuditEvent.objects.count() - before])
    assert len(events) == 1
    event = events[0]
    assert (event.actor, event.action, event.object_type, event.child_id) == (
        personas[who],
        "read",
        PAGES[name],
        elias.pk,
    )
    assert event.details["role"] == role and event.assurance == level


def test_refused_reads_write_nothing(client_for, eid_client_for, demo):
    bo, anna, other_staff = eid_client_for("other_guardian"), client_for("guardian"), client_for("other_staff")
    before = AuditEvent.objects.count()  # (the e-ID login writes its own row)
    url = reverse("assessments:child", args=[demo["elias"].pk])
    assert bo.get(url).status_code == 404
    assert anna.get(url).status_code == 302  # password session: to e-ID first
    assert other_staff.get(url).status_code == 404
    assert AuditEvent.objects.count() == before


def test_guardian_sees_who_read(client_for, eid_client_for, demo):
    elias = demo["elias"]
    client_for("teacher").get(reverse("assessments:child-notes", args=[elias.pk]))
    client_for("principal").get(reverse("assessments:child-support", args=[elias.pk]))
    page = eid_client_for("guardian").get(reverse("assessments:child-log", args=[elias.pk]))
    html = page.content.decode()
    assert "Lars Lärare" in html and "Mentor" in html and "Anteckningar" in html
    assert "Rut Rektor" in html and "Rektor" in html and "Åtgärdsprogram" in html
    # Only this child's rows.
    assert all(e.child_id == elias.pk for e in page.context["events"])


def test_principal_logs_per_child_and_per_staff_member(client_for, personas, demo):
    elias = demo["elias"]
    client_for("teacher").get(reverse("assessments:child", args=[elias.pk]))
    principal = client_for("principal")
    per_child = principal.get(reverse("assessments:child-log", args=[elias.pk]))
    assert any(e.actor == personas["teacher"] for e in per_child.context["events"])
    per_staff = principal.get(reverse("assessments:staff-log", args=[personas["teacher"].pk]))
    assert per_staff.status_code == 200
    assert [e.object_label for e in per_staff.context["events"]][0] == "Bedömningar: Elias Andersson"
    # The pedagog at Solrosen is not the principal's staff.
    assert principal.get(reverse("assessments:staff-log", args=[personas["other_staff"].pk])).status_code == 404


def test_the_matrix_and_grade_sheet_log_a_read_per_pupil(client_for, demo):
    from school.models import Subject

    svenska = Subject.objects.get(name="Svenska")
    before = AuditEvent.objects.count()
    response = client_for("teacher").get(reverse("assessments:matrix", args=[demo["3b"].pk, svenska.pk]))
    pupils = response.context["m"].pupils
    rows = AuditEvent.objects.order_by("-pk")[: len(pupils)]
    assert AuditEvent.objects.count() == before + len(pupils)
    assert {e.child_id for e in rows} == {p.pk for p in pupils}
    assert all(e.action == "read" and e.details["role"] == "mentor" for e in rows)
