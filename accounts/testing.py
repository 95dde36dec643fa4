"""pytest fixtures for e-ID (loaded from the root conftest as a plugin).

`eid_login(client, user)` walks the real flow with the built-in development provider: the
site's e-ID start, the provider's "Välj testperson" page, the callback, where the site's
relying party fetches discovery, token and JWKS over real HTTP from a server thread
(the dev issuer is pointed at it). No session flag is set by hand.

Why not pytest-django's `live_server`: using it switches the test to `transactional_db`,
which empties the tables after the test (the demo municipality is loaded once per
session). The back channel needs no database (a dev-provider code carries what the token
endpoint needs), so a plain threaded WSGI server of the same Django app is enough and the
test keeps its fast rolled-back transaction. Browser tests, which use `live_server`
anyway, point the issuer at it instead (see `eid_issuer_on`).

`eid_client_for(role)` is `client_for(role)` (the conftest personas) logged in that way:
a Django test Client whose session has HIGH assurance; `eid_user_client(user)` the same for
any person (one without a personnummer on record gets one first).

Other apps use them as:

    def test_assessments_need_eid(eid_client_for):
        client = eid_client_for("guardian")
        assert client.get(url).status_code == 200
"""

import itertools
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.test import Client
from django.urls import reverse


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@pytest.fixture(scope="session")
def eid_server():
    """This Django app served over HTTP on 127.0.0.1 from a thread; yields its base URL."""
    import threading

    from django.core.handlers.wsgi import WSGIHandler
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, allow_reuse_address=False)
    server.set_app(WSGIHandler())
    thread = threading.Thread(target=server.serve_forever, name="eid-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def eid_issuer_on(settings, base_url: str) -> str:
    """Point the development issuer at `base_url` (a live server); returns the issuer."""
    settings.SKOLHUBB_OIDC_ISSUER = ""
    settings.SKOLHUBB_DEV_EID = True
    settings.SKOLHUBB_DEV_EID_ISSUER = base_url.rstrip("/") + "/dev-eid"
    return settings.SKOLHUBB_DEV_EID_ISSUER


@pytest.fixture
def eid_issuer(eid_server, settings):
    """The development e-ID provider, reached over real HTTP. Returns the issuer URL."""
    return eid_issuer_on(settings, eid_server)


def eid_walk_to_provider(client: Client, *, next_url: str = "") -> dict:
    """Start an e-ID login; returns the provider's authorize parameters (state, nonce, …)."""
    start = reverse("accounts:eid-start") + (f"?{urlencode({'next': next_url})}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302, f"e-ID start answered {response.status_code}"
    return dict(parse_qsl(urlsplit(response["Location"]).query))


def eid_choose_person(client: Client, params: dict, *, personnummer: str, loa: str = "3", cancel: bool = False):
    """Answer the provider's "Välj testperson" page; returns the redirect to the callback."""
    authorize = reverse("dev-eid:authorize")
    page = client.get(authorize + "?" + urlencode(params))
    assert page.status_code == 200, page.content[:500]
    data = {**params, "personnummer": personnummer, "loa": loa}
    data["cancel" if cancel else "login"] = "1"
    response = client.post(authorize, data)
    assert response.status_code == 302
    return response["Location"]


@pytest.fixture
def eid_login(eid_issuer):
    """eid_login(client, user, next_url="", loa="3") → the callback's response.

    Logs `user` in with e-ID (HIGH with loa="3"). A client already logged in with a
    password is stepped up (the same person must come back)."""

    def login(client: Client, user, *, next_url: str = "", loa: str = "3", personnummer: str | None = None):
        params = eid_walk_to_provider(client, next_url=next_url)
        callback = eid_choose_person(client, params, personnummer=personnummer or user.personnummer, loa=loa)
        return client.get(_path(callback))

    return login


@pytest.fixture
def eid_client_for(personas, eid_login):
    """eid_client_for("guardian") → a Client logged in with e-ID (assurance HIGH)."""
    from accounts import assurance

    def make(role: str) -> Client:
        client = Client()
        response = eid_login(client, personas[role])
        assert response.status_code == 302, response.content[:500]
        assert client.session.get(assurance.SESSION_KEY) == assurance.HIGH
        return client

    return make


_serials = itertools.count(900)


@pytest.fixture
def eid_user_client(eid_login):
    """eid_user_client(user) → a Client logged in with e-ID through the real flow (the
    development provider, accounts.testing.eid_login), for people who are not one of the
    conftest personas (Carin, other demo guardians, test guardians). A person without a
    personnummer on record gets one first: e-ID logs in only people on record."""
    from datetime import date

    from roster.personnummer import with_check_digit

    def make(user) -> Client:
        if not user.personnummer:
            born = date(1980, 5, 17)
            nine = f"{born:%y%m%d}{next(_serials):03d}"
            user.personnummer = f"{born:%Y%m%d}{nine[-3:]}{with_check_digit(nine)}"
            user.save(update_fields=["personnummer"])
        client = Client()
        response = eid_login(client, user)
        assert response.status_code == 302, response.content[:300]
        return client

    return make
