import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from accounts import assurance
from accounts.assurance import require_assurance


@pytest.mark.django_db
def test_password_login_gives_low_assurance(client):
    response = client.post(
        reverse("account_login"), {"login": "anna.andersson@example.se", "password": "skolhubb-demo"}
    )
    assert response.status_code == 302
    assert client.session[assurance.SESSION_KEY] == assurance.LOW
    assert client.session[assurance.METHOD_KEY] == "password"


@pytest.mark.django_db
def test_require_assurance_sends_low_sessions_to_eid(personas):
    request = RequestFactory().get("/bedomningar/")
    request.user = personas["guardian"]
    request.session = {assurance.SESSION_KEY: assurance.LOW}
    view = require_assurance(assurance.HIGH)(lambda r: HttpResponse("hemligt"))
    response = view(request)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:eid-start"))
    request.session = {assurance.SESSION_KEY: assurance.HIGH}
    assert view(request).content == b"hemligt"


@pytest.mark.django_db
def test_axes_locks_out_after_repeated_failures_with_a_swedish_message(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    url = reverse("account_login")
    for _ in range(3):
        response = client.post(url, {"login": "bo.berg@example.se", "password": "fel-lösenord"}, REMOTE_ADDR="10.1.1.1")
    response = client.post(url, {"login": "bo.berg@example.se", "password": "skolhubb-demo"}, REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert "För många inloggningsförsök" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # The same person from another connection is not locked out (username + IP).
    other = client.post(url, {"login": "bo.berg@example.se", "password": "skolhubb-demo"}, REMOTE_ADDR="10.2.2.2")
    assert other.status_code == 302


@pytest.mark.django_db
def test_wrong_password_gives_a_swedish_error(client):
    response = client.post(reverse("account_login"), {"login": "bo.berg@example.se", "password": "fel"})
    assert response.status_code == 200
    assert "inte korrekt" in response.content.decode() or "felaktig" in response.content.decode().lower()


@pytest.mark.django_db
def test_signup_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "Konton skapas av skolan" in response.content.decode()


@pytest.mark.django_db
def test_forgotten_password_flow_in_swedish(client):
    from django.core import mail

    page = client.get(reverse("account_reset_password"))
    assert "Glömt lösenord?" in page.content.decode()
    response = client.post(reverse("account_reset_password"), {"email": "bo.berg@example.se"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bo.berg@example.se"]
    link = next(word for word in mail.outbox[0].body.split() if "/konto/password/reset/key/" in word)
    path = link[link.index("/konto/") :]
    form_page = client.get(path, follow=True)
    assert "Välj nytt lösenord" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else path,
        {"password1": "Vinterlov-2027", "password2": "Vinterlov-2027"},
    )
    assert done.status_code == 302
    from accounts.models import User

    assert User.objects.get(email="bo.berg@example.se").check_password("Vinterlov-2027")
