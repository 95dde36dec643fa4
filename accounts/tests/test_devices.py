"""Koppla en app: pairing codes, device tokens, removal and revocation."""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts.models import AuditEvent, Device, PairingCode

pytestmark = pytest.mark.django_db


def _new_code(client) -> str:
    response = client.post(reverse("accounts:pairing-code"))
    assert response.status_code == 200
    html = response.content.decode()
    match = re.search(r'id="pairing-code">([A-Z0-9]{4}-[A-Z0-9]{4})<', html)
    assert match, html
    return match.group(1)


def _pair(code: str, name: str = "Annas telefon"):
    return Client().post("/api/v1/accounts/pair", {"code": code, "name": name}, content_type="application/json")


def _bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_pairing_page_shows_a_code_and_a_qr_code_made_server_side(client_for):
    client = client_for("guardian")
    response = client.post(reverse("accounts:pairing-code"))
    html = response.content.decode()
    assert "<svg" in html and "<path" in html
    assert 'style="' not in html  # the CSP forbids inline styles
    assert response["Cache-Control"] == "no-store"
    code = re.search(r'id="pairing-code">([A-Z0-9-]+)<', html).group(1)
    # Stored only as a hash.
    assert not PairingCode.objects.filter(code_hash__icontains=code.replace("-", "")).exists()
    assert PairingCode.objects.filter(used_at__isnull=True).count() >= 1


def test_a_code_is_exchanged_once_for_a_token_that_works_at_the_api(client_for, personas):
    code = _new_code(client_for("guardian"))
    response = _pair(code)
    assert response.status_code == 201
    token = response.json()["token"]
    device = Device.objects.get(pk=response.json()["device"]["id"])
    assert device.user == personas["guardian"]
    assert token not in device.token_hash  # stored hashed
    me = Client().get("/api/v1/accounts/me", **_bearer(token))
    assert me.status_code == 200
    assert me.json()["email"] == "anna.andersson@example.se"
    assert me.json()["assurance"] == "low"
    assert me.json()["authenticated_by"] == "device"
    again = _pair(code)
    assert again.status_code == 400
    assert "Koden är fel" in again.json()["errors"]["code"][0]
    assert AuditEvent.objects.filter(object_type="accounts.device", action="create").exists()


def test_code_expires_after_ten_minutes(client_for):
    code = _new_code(client_for("guardian"))
    with time_machine.travel(time.time() + 10 * 60 + 5, tick=False):
        response = _pair(code)
    assert response.status_code == 400
    assert "errors" in response.json()


def test_pairing_with_no_name_is_a_swedish_field_error_and_nothing_changes(client_for):
    code = _new_code(client_for("guardian"))
    response = _pair(code, name="  ")
    assert response.status_code == 400
    assert response.json()["errors"]["name"] == ["Ge appen ett namn, t.ex. ”Annas telefon”."]
    assert not Device.objects.exists()
    assert _pair(code).status_code == 201  # the code still works


def test_the_devices_page_lists_and_removes_a_device(client_for):
    client = client_for("guardian")
    token = _pair(_new_code(client)).json()["token"]
    page = client.get(reverse("accounts:devices")).content.decode()
    assert "Annas telefon" in page and "Senast använd" in page
    device = Device.objects.get()
    response = client.post(reverse("accounts:device-remove", args=[device.pk]))
    assert response.status_code == 302
    assert not Device.objects.exists()
    assert Client().get("/api/v1/accounts/me", **_bearer(token)).status_code == 401


def test_someone_elses_device_is_404_and_stays(client_for):
    token = _pair(_new_code(client_for("guardian"))).json()["token"]
    device = Device.objects.get()
    response = client_for("other_guardian").post(reverse("accounts:device-remove", args=[device.pk]))
    assert response.status_code == 404
    assert Client().get("/api/v1/accounts/me", **_bearer(token)).status_code == 200


def test_remove_is_post_only(client_for):
    _pair(_new_code(client_for("guardian")))
    device = Device.objects.get()
    assert client_for("guardian").get(reverse("accounts:device-remove", args=[device.pk])).status_code == 405


def test_changing_the_password_revokes_every_token_at_once(client_for, personas):
    client = client_for("guardian")
    token = _pair(_new_code(client)).json()["token"]
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": "skolhubb-demo",
            "password1": "ett-nytt-langt-losen-42",
            "password2": "ett-nytt-langt-losen-42",
        },
    )
    assert response.status_code == 302
    assert not Device.objects.exists()
    assert Client().get("/api/v1/accounts/me", **_bearer(token)).status_code == 401


def test_a_password_changed_elsewhere_also_revokes(client_for, personas):
    token = _pair(_new_code(client_for("guardian"))).json()["token"]
    user = personas["guardian"]
    user.set_password("satt-av-administratoren-1")
    user.save()
    assert Client().get("/api/v1/accounts/me", **_bearer(token)).status_code == 401
    assert not Device.objects.exists()


def test_last_used_is_recorded(client_for):
    token = _pair(_new_code(client_for("guardian"))).json()["token"]
    Client().get("/api/v1/accounts/me", **_bearer(token))
    device = Device.objects.get()
    assert device.last_used_at is not None
    with time_machine.travel(device.last_used_at + timedelta(minutes=5), tick=False):
        Client().get("/api/v1/accounts/me", **_bearer(token))
    device.refresh_from_db()
    assert device.last_used_at is not None


def test_a_device_token_never_opens_what_needs_eid(client_for, eid_client_for, settings):
    """A token is low assurance even when sent along with a high-assurance session cookie."""
    token = _pair(_new_code(client_for("guardian"))).json()["token"]
    high = eid_client_for("guardian")
    assert high.get("/api/v1/accounts/me").json()["assurance"] == "high"
    assert high.get("/api/v1/accounts/me", **_bearer(token)).json()["assurance"] == "low"
