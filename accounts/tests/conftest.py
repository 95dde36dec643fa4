import pytest
from django.test import Client


@pytest.fixture
def eid_client_for(personas):
    # TEMPORARY until the e-ID branch lands: the lead swaps this for the real flow through
    # the built-in development OIDC provider.
    from accounts.assurance import HIGH, METHOD_KEY, SESSION_KEY

    def make(role: str) -> Client:
        client = Client()
        client.force_login(personas[role], backend="allauth.account.auth_backends.AuthenticationBackend")
        session = client.session
        session[SESSION_KEY] = HIGH
        session[METHOD_KEY] = "eid"
        session.save()
        return client

    return make
