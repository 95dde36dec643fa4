"""The development provider on its own: a code works once, only with its PKCE verifier and
the client's secret; the ID token is RS256 and verifies against the published JWKS."""

import base64
import hashlib
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from joserfc import jwt
from joserfc.jwk import KeySet

from accounts import dev_eid

pytestmark = pytest.mark.django_db

VERIFIER = "v" * 50
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=").decode()
REDIRECT = "http://testserver" + "/konto/e-legitimation/callback/"


def _code(client, personnummer):
    params = {
        "client_id": dev_eid.CLIENT_ID,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "openid",
        "state": "s1",
        "nonce": "n1",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
    }
    response = client.post(reverse("dev-eid:authorize"), {**params, "personnummer": personnummer, "login": "1"})
    assert response.status_code == 302
    query = dict(parse_qsl(urlsplit(response["Location"]).query))
    assert query["state"] == "s1"
    return query["code"]


def _token(client, code, verifier=VERIFIER, secret=None):
    return client.post(
        reverse("dev-eid:token"),
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "code_verifier": verifier,
            "client_id": dev_eid.CLIENT_ID,
            "client_secret": secret or dev_eid.client_secret(),
        },
    )


def test_a_code_gives_a_signed_id_token_once(personas):
    client = Client()
    code = _code(client, personas["guardian"].personnummer)
    response = _token(client, code)
    assert response.status_code == 200
    keys = KeySet.import_key_set(client.get(reverse("dev-eid:jwks")).json())
    token = jwt.decode(response.json()["id_token"], keys, algorithms=["RS256"])
    assert token.header["alg"] == "RS256"
    assert token.claims["nonce"] == "n1"
    assert token.claims["aud"] == dev_eid.CLIENT_ID
    assert token.claims["given_name"] == "Anna"
    assert _token(client, code).json() == {"error": "invalid_grant"}


def test_wrong_pkce_verifier_or_secret_is_refused(personas):
    client = Client()
    assert _token(client, _code(client, personas["guardian"].personnummer), verifier="w" * 50).status_code == 400
    assert _token(client, _code(client, personas["guardian"].personnummer), secret="fel").status_code == 401


def test_authorize_refuses_an_unknown_client_or_redirect(client):
    response = client.get(
        reverse("dev-eid:authorize"), {"client_id": "evil", "redirect_uri": "https://evil.example/cb"}
    )
    assert response.status_code == 400
    response = client.get(
        reverse("dev-eid:authorize"), {"client_id": dev_eid.CLIENT_ID, "redirect_uri": "https://evil.example/cb"}
    )
    assert response.status_code == 400


def test_authorize_without_pkce_is_an_error_back_to_the_client(client):
    response = client.get(
        reverse("dev-eid:authorize"),
        {
            "client_id": dev_eid.CLIENT_ID,
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "scope": "openid",
            "state": "s",
        },
    )
    assert response.status_code == 302
    assert "error=invalid_request" in response["Location"]


def test_choose_page_lists_demo_people_with_personnummer(client, personas):
    response = client.get(
        reverse("dev-eid:authorize"),
        {
            "client_id": dev_eid.CLIENT_ID,
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "scope": "openid",
            "state": "s",
            "code_challenge": CHALLENGE,
            "code_challenge_method": "S256",
        },
    )
    html = response.content.decode()
    assert "Välj testperson" in html
    assert personas["guardian"].personnummer in html
