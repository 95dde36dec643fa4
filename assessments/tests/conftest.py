import itertools
from datetime import date

import pytest
from django.test import Client

_serials = itertools.count(900)


@pytest.fixture
def eid_user_client(eid_login):
    """eid_user_client(user) → a Client logged in with e-ID through the real flow (the
    development provider, accounts.testing.eid_login), for people who are not one of the
    conftest personas (Carin, other demo guardians, test guardians). A person without a
    personnummer on record gets one first: e-ID logs in only people on record."""
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


@pytest.fixture(autouse=True)
def _empty_cache():
    """The grade pages are cached; a test's rolled-back rows may reuse ids of another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
