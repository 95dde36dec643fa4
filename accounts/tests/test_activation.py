from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import user_activation_link
from roster.models import Guardianship


def _new_guardian(email="ny@example.se") -> User:
    return User.objects.create_user(email, first_name="Nina", last_name="Ny")


def _path(link: str) -> str:
    return link.split("8000", 1)[-1] if "8000" in link else "/" + link.split("/", 3)[-1]


@pytest.mark.django_db
def test_admin_adding_a_guardianship_sends_the_activation_mail(client_for, demo, django_capture_on_commit_callbacks):
    guardian = _new_guardian()
    admin = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            reverse("admin:roster_guardianship_add"),
            {"guardian": guardian.pk, "child": demo["alva"].pk, "start_date": timezone.localdate().isoformat()},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Guardianship.objects.filter(guardian=guardian, child=demo["alva"]).exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny@example.se"]
    assert message.subject == "Aktivera ditt konto i Skolhubb"
    assert "/konto/aktivera/" in message.body
    assert message.alternatives and "Välj ditt lösenord" in message.alternatives[0][0]


@pytest.mark.django_db
def test_admin_action_sends_only_to_users_without_password(client_for, personas, django_capture_on_commit_callbacks):
    guardian = _new_guardian()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(
            reverse("admin:accounts_user_changelist"),
            {"action": "send_activation", "_selected_action": [guardian.pk, personas["guardian"].pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert [m.to for m in mail.outbox] == [["ny@example.se"]]
    assert "redan ett lösenord" in response.content.decode()


@pytest.mark.django_db
def test_activation_link_sets_password_once(client):
    guardian = _new_guardian()
    url = _path(user_activation_link(user=guardian))
    assert client.get(url).status_code == 200
    response = client.post(url, {"password1": "Sommarlov-2027", "password2": "Sommarlov-2027"})
    assert response.status_code == 302
    guardian.refresh_from_db()
    assert guardian.check_password("Sommarlov-2027")
    # The same link again: a clear page, not an error.
    again = client.get(url)
    assert again.status_code == 400
    assert "Länken har gått ut eller har redan använts" in again.content.decode()


@pytest.mark.django_db
def test_expired_activation_link_gives_a_clear_page_and_stores_nothing(client):
    guardian = _new_guardian()
    url = _path(user_activation_link(user=guardian))
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = client.post(url, {"password1": "Sommarlov-2027", "password2": "Sommarlov-2027"})
    assert response.status_code == 400
    assert "Länken fungerar inte" in response.content.decode()
    guardian.refresh_from_db()
    assert not guardian.has_usable_password()


@pytest.mark.django_db
def test_activation_with_mismatched_or_weak_password_stores_nothing(client):
    guardian = _new_guardian()
    url = _path(user_activation_link(user=guardian))
    response = client.post(url, {"password1": "Sommarlov-2027", "password2": "Sommarlov-2028"})
    assert response.status_code == 200
    assert "Lösenorden är inte lika." in response.content.decode()
    response = client.post(url, {"password1": "12345678901", "password2": "12345678901"})
    assert response.status_code == 200
    assert "helt numeriskt" in response.content.decode() or "numeriskt" in response.content.decode()
    guardian.refresh_from_db()
    assert not guardian.has_usable_password()


@pytest.mark.django_db
def test_activation_view_refuses_other_methods(client):
    guardian = _new_guardian()
    assert client.put(_path(user_activation_link(user=guardian))).status_code == 405
