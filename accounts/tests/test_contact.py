import pytest
from django.urls import reverse

from accounts.models import User


@pytest.mark.django_db
def test_guardian_updates_contact_details_and_visibility(client_for):
    client = client_for("guardian")
    response = client.post(
        reverse("accounts:contact"),
        {
            "phone_mobile": "070-999 88 77",
            "phone_home": "",
            "phone_work": "",
            "share_phone": "on",
        },
    )
    assert response.status_code == 302
    anna = User.objects.get(email="anna.andersson@example.se")
    assert anna.phone_mobile == "070-999 88 77"
    assert anna.share_phone is True
    assert anna.share_email is False


@pytest.mark.django_db
def test_bad_phone_and_a_smuggled_email_change_nothing(client_for):
    client = client_for("guardian")
    response = client.post(reverse("accounts:contact"), {"phone_mobile": "ring mig"})
    assert response.status_code == 200
    assert "Ange ett telefonnummer" in response.content.decode()
    # The contact form no longer changes the login e-mail, whatever is posted.
    response = client.post(reverse("accounts:contact"), {"email": "ny@example.se", "phone_mobile": "070-111 22 33"})
    assert response.status_code == 302
    assert not User.objects.filter(email="ny@example.se").exists()
    anna = User.objects.get(email="anna.andersson@example.se")
    assert anna.phone_mobile == "070-111 22 33"


@pytest.mark.django_db
def test_contact_refuses_other_methods(client_for):
    assert client_for("guardian").delete(reverse("accounts:contact")).status_code == 405
