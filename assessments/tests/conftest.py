import pytest
from django.test import Client, RequestFactory


# TEMPORARY until the e-ID branch lands: the lead swaps this for the real flow
# (the e-ID helper's `eid_client_for(role)`, which walks the built-in dev provider).
# Every high-assurance test in this app gets its session from here and nowhere else, so
# the swap is deleting this fixture.
@pytest.fixture
def eid_client_for(personas):
    """eid_client_for("guardian") → a Client whose session logged in with e-ID (assurance
    high), recorded through accounts.services.session_assurance_record on a request."""
    from accounts.services import session_assurance_record

    def make(role) -> Client:
        """A persona's role name, or a User (e.g. a demo guardian who is not a persona)."""
        user = personas[role] if isinstance(role, str) else role
        client = Client()
        client.force_login(user, backend="allauth.account.auth_backends.AuthenticationBackend")
        request = RequestFactory().get("/")
        request.session = client.session
        request.user = user
        session_assurance_record(request=request, method="eid")
        request.session.save()
        return client

    return make


@pytest.fixture(autouse=True)
def _empty_cache():
    """The grade pages are cached; a test's rolled-back rows may reuse ids of another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
