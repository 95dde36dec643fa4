"""e-ID login against the built-in development provider, over real HTTP (live server)."""

import time
from urllib.parse import parse_qsl, urlsplit

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from accounts import assurance, dev_eid
from accounts.models import AuditEvent
from accounts.testing import _path, eid_choose_person, eid_walk_to_provider

pytestmark = pytest.mark.django_db


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_eid_login_gives_high_assurance_and_the_header_says_so(eid_login, personas):
    client = Client()
    response = eid_login(client, personas["guardian"])
    assert response.status_code == 302
    assert response["Location"] == reverse("hub:dashboard")
    assert client.session["_auth_user_id"] == str(personas["guardian"].pk)
    assert client.session[assurance.SESSION_KEY] == assurance.HIGH
    assert client.session[assurance.METHOD_KEY] == "eid"
    page = client.get(reverse("hub:dashboard")).content.decode()
    assert "Inloggad med e-legitimation" in page
    assert AuditEvent.objects.filter(object_type="accounts.eid_login", actor=personas["guardian"]).exists()


def test_password_session_header_says_password(client_for):
    page = client_for("guardian").get(reverse("hub:dashboard")).content.decode()
    assert "Inloggad med lösenord" in page


def test_loa2_gives_low_assurance(eid_login, personas):
    client = Client()
    eid_login(client, personas["guardian"], loa="2")
    assert _logged_in(client)
    assert client.session[assurance.SESSION_KEY] == assurance.LOW


def test_the_flow_uses_pkce_state_and_nonce(eid_issuer):
    params = eid_walk_to_provider(Client())
    assert params["code_challenge_method"] == "S256"
    assert len(params["code_challenge"]) >= 43
    assert params["state"] and params["nonce"]
    assert params["client_id"] == dev_eid.CLIENT_ID


def test_step_up_returns_to_the_page_asked_for(eid_login, client_for, personas):
    client = client_for("guardian")
    wanted = reverse("accounts:security")
    first = client.get(wanted)
    assert first.status_code == 302
    assert first["Location"].startswith(reverse("accounts:eid-start"))
    response = eid_login(client, personas["guardian"], next_url=wanted)
    assert response.status_code == 302
    assert response["Location"] == wanted
    page = client.get(wanted)
    assert page.status_code == 200
    assert personas["guardian"].personnummer in page.content.decode()


def test_step_up_with_another_persons_eid_ends_the_session(eid_login, client_for, personas):
    client = client_for("guardian")
    response = eid_login(client, personas["guardian"], personnummer=personas["other_guardian"].personnummer)
    assert response.status_code == 403
    assert "annan person" in response.content.decode()
    assert not _logged_in(client)


def test_unknown_personnummer_gets_a_swedish_page_and_only_an_audit_record(eid_login, personas):
    from accounts.models import User

    users_before = User.objects.count()
    client = Client()
    response = eid_login(client, personas["guardian"], personnummer="19121212-1212")
    assert response.status_code == 403
    assert "Vi hittar ingen vårdnadshavare med ditt personnummer – kontakta skolan" in response.content.decode()
    assert not _logged_in(client)
    assert User.objects.count() == users_before
    event = AuditEvent.objects.get(object_type="accounts.eid_login", object_id="unknown_person")
    assert event.details == {"personnummer": "19121212-****"}


def test_high_assurance_lapses_after_idle_minutes(eid_login, personas, settings):
    settings.SKOLHUBB_EID_IDLE_MINUTES = 15
    client = Client()
    eid_login(client, personas["guardian"])
    with time_machine.travel(time.time() + 14 * 60, tick=False):
        client.get(reverse("hub:dashboard"))
        assert client.session[assurance.SESSION_KEY] == assurance.HIGH
    with time_machine.travel(time.time() + 14 * 60 + 16 * 60, tick=False):
        page = client.get(reverse("hub:dashboard")).content.decode()
        assert client.session[assurance.SESSION_KEY] == assurance.LOW
        assert _logged_in(client)
        assert "har gått ut" in page


def test_logout_ends_the_session_at_the_provider_too(eid_login, personas, eid_issuer):
    client = Client()
    eid_login(client, personas["guardian"])
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(eid_issuer + "/logout/")
    query = dict(parse_qsl(urlsplit(location).query))
    assert query["id_token_hint"].count(".") == 2
    assert query["post_logout_redirect_uri"].endswith(reverse("account_login"))
    assert not _logged_in(client)
    back = client.get(_path(location))
    assert back.status_code == 302
    assert urlsplit(back["Location"]).path == reverse("account_login")


# --- Bad callbacks: a Swedish error page, nobody logged in ---------------------------------


def _callback(client, personas, **kwargs):
    params = eid_walk_to_provider(client)
    return eid_choose_person(client, params, personnummer=personas["guardian"].personnummer, **kwargs)


@pytest.fixture
def reasons(caplog):
    """The reasons the site logged for refusing callbacks (so each test fails for its own cause)."""
    import logging

    caplog.set_level(logging.INFO, logger="accounts.views")
    return lambda: [r.getMessage().rsplit(": ", 1)[-1] for r in caplog.records if "refused" in r.getMessage()]


def _refused(response, client):
    assert response.status_code in {400, 503}
    assert "misslyckades" in response.content.decode()
    assert not _logged_in(client)


def test_unknown_state_is_refused(eid_issuer, personas, reasons):
    client = Client()
    callback = _callback(client, personas)
    forged = callback.replace("state=", "state=x")
    _refused(client.get(_path(forged)), client)
    assert reasons() == ["oauth:mismatching_state"]


def test_used_state_is_refused(eid_issuer, personas, reasons):
    client = Client()
    callback = _callback(client, personas)
    assert client.get(_path(callback)).status_code == 302
    client.post(reverse("account_logout"))
    _refused(client.get(_path(callback)), client)
    assert reasons() == ["oauth:mismatching_state"]


def test_callback_in_another_browser_is_refused(eid_issuer, personas):
    callback = _callback(Client(), personas)
    attacker = Client()
    _refused(attacker.get(_path(callback)), attacker)


def test_wrong_nonce_is_refused(eid_issuer, personas, monkeypatch, reasons):
    real = dev_eid.id_token_for
    monkeypatch.setattr(dev_eid, "id_token_for", lambda **kw: real(**{**kw, "nonce": "not-the-nonce"}))
    client = Client()
    _refused(client.get(_path(_callback(client, personas))), client)
    assert reasons() == ["token:invalid_claim"]


def test_expired_token_is_refused(eid_issuer, personas, monkeypatch, reasons):
    real = dev_eid.id_token_for
    monkeypatch.setattr(dev_eid, "id_token_for", lambda **kw: real(**kw, now=int(time.time()) - 3600))
    client = Client()
    _refused(client.get(_path(_callback(client, personas))), client)
    assert reasons() == ["token:expired_token"]


def test_tampered_token_is_refused(eid_issuer, personas, monkeypatch, reasons):
    import base64
    import json

    real = dev_eid.id_token_for

    def tampered(**kw):
        header, payload, signature = real(**kw).split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
        claims[dev_eid.settings.SKOLHUBB_OIDC_PERSONNUMMER_CLAIM] = "198204124536"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        return f"{header}.{forged}.{signature}"

    monkeypatch.setattr(dev_eid, "id_token_for", tampered)
    client = Client()
    _refused(client.get(_path(_callback(client, personas))), client)
    assert reasons() == ["token:bad_signature"]


def test_token_for_another_audience_is_refused(eid_issuer, personas, monkeypatch, reasons):
    real = dev_eid.id_token_for
    monkeypatch.setattr(dev_eid, "id_token_for", lambda **kw: real(**kw, aud="another-client"))
    client = Client()
    _refused(client.get(_path(_callback(client, personas))), client)
    assert reasons() == ["token:invalid_claim"]


def test_token_from_another_issuer_is_refused(eid_issuer, personas, monkeypatch, reasons):
    real = dev_eid.id_token_for
    monkeypatch.setattr(dev_eid, "id_token_for", lambda **kw: real(**kw, iss="https://evil.example"))
    client = Client()
    _refused(client.get(_path(_callback(client, personas))), client)
    assert reasons() == ["token:invalid_claim"]


def test_provider_error_is_refused(eid_issuer, personas, reasons):
    client = Client()
    response = client.get(_path(_callback(client, personas, cancel=True)))
    _refused(response, client)
    assert reasons() == ["oauth:access_denied"]
    assert "avbröts" in response.content.decode()


def test_provider_down_gives_a_swedish_page(settings, client):
    settings.SKOLHUBB_OIDC_ISSUER = ""
    settings.SKOLHUBB_DEV_EID = True
    settings.SKOLHUBB_DEV_EID_ISSUER = "http://127.0.0.1:9/dev-eid"  # nothing listens there
    settings.SKOLHUBB_OIDC_TIMEOUT = 2
    response = client.get(reverse("accounts:eid-start"))
    assert response.status_code == 503
    assert "Vi når inte e-legitimationstjänsten" in response.content.decode()


# --- The development provider is impossible in production ---------------------------------


def test_dev_provider_is_not_mounted_with_a_real_issuer_and_debug_off(settings):
    import importlib

    from django.urls import NoReverseMatch, clear_url_caches

    import config.urls

    settings.DEBUG = False
    settings.SKOLHUBB_OIDC_ISSUER = "https://broker.example.se"
    settings.SKOLHUBB_DEV_EID = False
    try:
        clear_url_caches()
        importlib.reload(config.urls)
        with pytest.raises(NoReverseMatch):
            reverse("dev-eid:authorize")
        assert Client().get("/dev-eid/.well-known/openid-configuration").status_code == 404
    finally:
        settings.SKOLHUBB_DEV_EID = True
        settings.SKOLHUBB_OIDC_ISSUER = ""
        clear_url_caches()
        importlib.reload(config.urls)


def test_dev_provider_views_refuse_when_a_real_issuer_is_set(settings, client):
    settings.SKOLHUBB_OIDC_ISSUER = "https://broker.example.se"
    assert client.get(reverse("dev-eid:discovery")).status_code == 404
    assert client.post(reverse("dev-eid:token")).status_code == 404


def test_production_settings_never_enable_the_dev_provider():
    import os
    import subprocess
    import sys

    from django.conf import settings

    env = {
        **os.environ,
        "SKOLHUBB_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "skolhubb.example.se",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("SKOLHUBB_OIDC_ISSUER", None)
    code = "import django; django.setup(); from django.conf import settings as s; print(s.SKOLHUBB_DEV_EID, s.DEBUG)"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_the_register_extract_opens_with_an_eid_session(eid_client_for, client_for):
    """The fixture other apps use: a Client with a HIGH session from the real flow."""
    url = reverse("accounts:register-extract")
    assert client_for("guardian").get(url).status_code == 302
    assert eid_client_for("guardian").get(url).status_code == 200
