"""The register extract (GDPR art. 15): everything about the person and their children,
behind e-ID, audited, in a constant number of queries."""

import json

import pytest
from django.urls import reverse

from accounts.extract import register_extract_build
from accounts.models import AuditEvent
from accounts.personal_data import registrations


@pytest.mark.django_db
def test_password_session_is_sent_to_eid(client_for):
    response = client_for("guardian").get(reverse("accounts:register-extract"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:eid-start"))


@pytest.mark.django_db
def test_extract_holds_own_children_and_not_other_families(eid_client_for, personas, demo):
    from absence.models import AbsenceReport

    AbsenceReport.objects.create(child=demo["elias"], start_date="2026-11-24", end_date="2026-11-24", reason="sjuk")
    AbsenceReport.objects.create(child=demo["bella"], start_date="2026-11-24", end_date="2026-11-24", reason="sjuk")
    response = eid_client_for("guardian").get(reverse("accounts:register-extract-json"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="registerutdrag.json"'
    data = json.loads(response.content)
    assert {c["name"] for c in data["children"]} == {"Alva Andersson", "Elias Andersson"}
    reports = next(s for s in data["sections"] if s["model"] == "absence.AbsenceReport")["rows"]
    assert {r["child_id"] for r in reports} == {demo["elias"].pk}
    user_rows = next(s for s in data["sections"] if s["model"] == "accounts.User")["rows"]
    assert user_rows[0]["email"] == personas["guardian"].email
    assert "password" not in user_rows[0]
    assert AuditEvent.objects.filter(actor=personas["guardian"], details__register_extract="json").exists()


@pytest.mark.django_db
def test_readable_page(eid_client_for):
    response = eid_client_for("guardian").get(reverse("accounts:register-extract"))
    assert response.status_code == 200
    assert "Frånvaroanmälningar".encode() in response.content or b"Barn som ing" in response.content


@pytest.mark.django_db
def test_queries_do_not_grow_with_rows(personas, demo, django_assert_num_queries):
    from absence.models import AbsenceReport

    # 1 children + one per registered model.
    budget = 1 + len(registrations())
    with django_assert_num_queries(budget):
        register_extract_build(user=personas["guardian"])
    AbsenceReport.objects.bulk_create(
        AbsenceReport(child=demo["elias"], start_date="2026-10-01", end_date="2026-10-01", reason="sjuk")
        for _ in range(50)
    )
    with django_assert_num_queries(budget):
        register_extract_build(user=personas["guardian"])


@pytest.mark.django_db
def test_admin_produces_the_extract_for_one_person(client_for, personas):
    admin = client_for("admin")
    url = reverse("admin:accounts_user_changelist")
    response = admin.post(url, {"action": "register_extract", "_selected_action": [personas["guardian"].pk]})
    assert response.status_code == 200
    assert json.loads(response.content)["person"]["email"] == personas["guardian"].email
    assert AuditEvent.objects.filter(actor=personas["admin"], details__register_extract="admin").exists()
    two = admin.post(
        url, {"action": "register_extract", "_selected_action": [personas["guardian"].pk, personas["student"].pk]}
    )
    assert two.status_code == 302  # refused with a message, nothing produced
