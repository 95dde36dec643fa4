"""Changing the login e-mail: the current password, a link to the new address, a notice to
the old one; bad input is a form error (never a 500) and changes nothing."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

URL = reverse("accounts:email-change")


def _link(message) -> str:
    return re.search(r"https?://\S+/konto/e-post/bekrafta/\S+/", message.body).group(0).split("8000", 1)[-1]


def test_change_needs_password_and_a_confirmed_link_and_tells_the_old_address(
    client_for, django_capture_on_commit_callbacks
):
    anna = client_for("guardian")
    assert anna.get(URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = anna.post(URL, {"new_email": "Anna.Ny@Example.se", "password": "skolhubb-demo"})
    assert response.status_code == 302
    # Nothing changed yet: the link goes to the new address only.
    assert User.objects.filter(email="anna.andersson@example.se").exists()
    assert [m.to for m in mail.outbox] == [["anna.ny@example.se"]]
    link = _link(mail.outbox[0])
    # Someone else logged in cannot use it; a GET changes nothing.
    assert client_for("other_guardian").get(link).status_code == 400
    page = anna.get(link)
    assert page.status_code == 200 and "anna.ny@example.se" in page.content.decode()
    assert User.objects.filter(email="anna.andersson@example.se").exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert anna.post(link).status_code == 302
    user = User.objects.get(email="anna.ny@example.se")
    assert not User.objects.filter(email="anna.andersson@example.se").exists()
    notice = mail.outbox[-1]
    assert notice.to == ["anna.andersson@example.se"]
    assert "anna.ny@example.se" in notice.body
    # The link works once.
    assert anna.post(link).status_code == 400
    assert User.objects.get(pk=user.pk).email == "anna.ny@example.se"


def test_the_new_address_logs_in_and_the_old_does_not(client_for, client, django_capture_on_commit_callbacks):
    anna = client_for("guardian")
    with django_capture_on_commit_callbacks(execute=True):
        anna.post(URL, {"new_email": "anna.ny@example.se", "password": "skolhubb-demo"})
    with django_capture_on_commit_callbacks(execute=True):
        anna.post(_link(mail.outbox[0]))
    login = reverse("account_login")
    old = client.post(login, {"login": "anna.andersson@example.se", "password": "skolhubb-demo"})
    assert old.status_code == 200
    new = client.post(login, {"login": "anna.ny@example.se", "password": "skolhubb-demo"})
    assert new.status_code == 302


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"new_email": "anna.ny@example.se", "password": "fel"}, "password", "Lösenordet stämmer inte."),
        ({"new_email": "anna.ny@example.se", "password": ""}, "password", ""),
        ({"new_email": "bo.berg@example.se", "password": "skolhubb-demo"}, "new_email", "används redan"),
        ({"new_email": "inte-en-adress", "password": "skolhubb-demo"}, "new_email", "giltig e-postadress"),
        ({"new_email": "a" * 250 + "@example.se", "password": "skolhubb-demo"}, "new_email", "högst 254 tecken"),
        ({"new_email": "x@" + "b" * 300 + ".se", "password": "skolhubb-demo"}, "new_email", "högst 254 tecken"),
        ({"new_email": "anna.andersson@example.se", "password": "skolhubb-demo"}, "new_email", "redan din"),
    ],
)
def test_bad_input_is_a_form_error_and_changes_nothing(data, field, message, client_for):
    response = client_for("guardian").post(URL, data)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert errors and message in errors
    assert mail.outbox == []
    assert User.objects.filter(email="anna.andersson@example.se").exists()


def test_a_link_stops_working_when_the_password_changes(client_for, personas, django_capture_on_commit_callbacks):
    anna = client_for("guardian")
    with django_capture_on_commit_callbacks(execute=True):
        anna.post(URL, {"new_email": "anna.ny@example.se", "password": "skolhubb-demo"})
    user = personas["guardian"]
    user.set_password("ett-helt-nytt-losenord")
    user.save()
    anna.force_login(user, backend="accounts.backends.AuthenticationBackend")
    assert anna.post(_link(mail.outbox[0])).status_code == 400
    assert User.objects.filter(email="anna.andersson@example.se").exists()


def test_email_change_refuses_other_methods(client_for):
    assert client_for("guardian").delete(URL).status_code == 405
