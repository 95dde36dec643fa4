"""Bad input in the admin: a clear Swedish message, nothing stored."""

import pytest
from django.urls import reverse
from django.utils import timezone

from roster.models import Child, Placement


def _child_form(**overrides):
    data = {
        "given_name": "Greta",
        "family_name": "Gran",
        "personnummer": "20190312-2388",
        "street_address": "",
        "postal_code": "",
        "city": "",
        "guardianships-TOTAL_FORMS": "0",
        "guardianships-INITIAL_FORMS": "0",
        "placements-TOTAL_FORMS": "0",
        "placements-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_admin_adds_a_child_with_a_valid_personnummer(client_for):
    response = client_for("admin").post(reverse("admin:roster_child_add"), _child_form())
    assert response.status_code == 302, response.content.decode()[:3000]
    child = Child.objects.get(given_name="Greta")
    assert child.personnummer == "201903122388"
    assert str(child.date_of_birth) == "2019-03-12"


@pytest.mark.django_db
def test_wrong_check_digit_is_refused(client_for):
    response = client_for("admin").post(reverse("admin:roster_child_add"), _child_form(personnummer="20190312-2389"))
    assert response.status_code == 200
    assert "kontrollsiffran stämmer inte" in response.content.decode()
    assert not Child.objects.filter(given_name="Greta").exists()


@pytest.mark.django_db
def test_placement_ending_before_it_starts_is_refused(client_for, demo):
    today = timezone.localdate()
    data = _child_form(
        **{
            "placements-TOTAL_FORMS": "1",
            "placements-0-unit": demo["norrskolan"].pk,
            "placements-0-group": demo["3b"].pk,
            "placements-0-start_date": today.isoformat(),
            "placements-0-end_date": (today.replace(day=1)).isoformat() if today.day > 1 else "2020-01-01",
        }
    )
    response = client_for("admin").post(reverse("admin:roster_child_add"), data)
    assert response.status_code == 200
    assert "Slutdatum kan inte vara före startdatum." in response.content.decode()
    assert not Child.objects.filter(given_name="Greta").exists()
    assert not Placement.objects.filter(child__given_name="Greta").exists()


@pytest.mark.django_db
def test_child_list_masks_personnummer(client_for, demo):
    html = client_for("admin").get(reverse("admin:roster_child_changelist")).content.decode()
    assert demo["alva"].personnummer[:8] + "-****" in html
    assert demo["alva"].personnummer not in html


@pytest.mark.django_db
def test_services_refuse_crafted_bad_input(demo):
    from django.core.exceptions import ValidationError

    from roster.services import child_create, placement_create

    with pytest.raises(ValidationError):
        child_create(given_name="X", family_name="Y", personnummer_value="20190312-2389")
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        placement_create(
            child=demo["alva"],
            unit=demo["solrosen"],
            group=demo["solen"],
            start_date=today,
            end_date=today.replace(year=today.year - 1),
        )
    with pytest.raises(ValidationError):
        placement_create(child=demo["alva"], unit=demo["solrosen"], group=demo["3b"], start_date=today)


@pytest.mark.django_db
def test_reading_and_changing_a_child_in_the_admin_is_audited(client_for, demo):
    from accounts.models import AuditEvent

    admin = client_for("admin")
    alva = demo["alva"]
    assert admin.get(reverse("admin:roster_child_change", args=[alva.pk])).status_code == 200
    read = AuditEvent.objects.get(child_id=alva.pk, action="read")
    assert read.actor_label == "admin@example.se" and read.assurance == "low"
    assert read.object_type == "roster.child"
    response = admin.post(reverse("admin:roster_child_add"), _child_form())
    assert response.status_code == 302
    greta = Child.objects.get(given_name="Greta")
    created = AuditEvent.objects.get(child_id=greta.pk, action="create")
    assert "personnummer" in created.details["fields"]
    # The log is read-only in the admin.
    assert admin.get(reverse("admin:accounts_auditevent_change", args=[created.pk])).status_code in (200, 403)
    assert admin.post(reverse("admin:accounts_auditevent_delete", args=[created.pk])).status_code == 403
