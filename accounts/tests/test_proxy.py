"""Behind a load balancer (SKOLHUBB_PROXY_COUNT): allauth's rate limits and axes' lockout key on
the client's own address from X-Forwarded-For, so one attacker is locked out and the rest of
the municipality (every request arrives from the balancer's address) is not."""

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from config.clientip import client_ip

BALANCER = "10.0.0.5"  # every request reaches the web process from here
ATTACKER = "203.0.113.9"
SCHOOL = "198.51.100.7"


@pytest.fixture
def fresh_limits():
    cache.clear()  # allauth keeps its rate-limit counters in the cache
    yield
    cache.clear()


def _login(client, email, password, forwarded):
    return client.post(
        reverse("account_login"),
        {"login": email, "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def _attack(client):
    return [_login(client, "bo.berg@example.se", f"fel-{i}", ATTACKER).status_code for i in range(40)]


@pytest.mark.django_db
def test_forty_failures_lock_out_that_address_not_the_municipality(settings, fresh_limits):
    settings.SKOLHUBB_PROXY_COUNT = 1
    attacker = Client()
    codes = _attack(attacker)
    limit = settings.AXES_FAILURE_LIMIT
    assert codes[: limit - 1] == [200] * (limit - 1)  # wrong password: a form error
    assert set(codes[limit - 1 :]) == {429}  # then locked out (axes), later also rate limited (allauth)
    # The right password from the attacker's address does not get in, for that user or another.
    assert _login(attacker, "bo.berg@example.se", "skolhubb-demo", ATTACKER).status_code == 429
    assert _login(Client(), "anna.andersson@example.se", "skolhubb-demo", ATTACKER).status_code == 429
    # Writing another address to the left of the header does not help: the balancer appends.
    forged = f"{SCHOOL}, {ATTACKER}"
    assert _login(Client(), "bo.berg@example.se", "skolhubb-demo", forged).status_code == 429
    # Someone else, through the same balancer, logs in at once – also as the attacked user.
    school = Client()
    assert _login(school, "bo.berg@example.se", "skolhubb-demo", SCHOOL).status_code == 302
    assert "_auth_user_id" in school.session
    assert _login(Client(), "anna.andersson@example.se", "skolhubb-demo", SCHOOL).status_code == 302


@pytest.mark.django_db
def test_without_the_setting_the_balancer_is_locked_out(settings, fresh_limits):
    """Why the setting matters: counted by the balancer's address, one attacker locks out everyone."""
    settings.SKOLHUBB_PROXY_COUNT = 0
    _attack(Client())
    assert _login(Client(), "bo.berg@example.se", "skolhubb-demo", SCHOOL).status_code == 429
    assert _login(Client(), "anna.andersson@example.se", "skolhubb-demo", SCHOOL).status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "remote", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.5", "10.0.0.5"),  # header ignored without trusted proxies
        (1, "203.0.113.9", "10.0.0.5", "203.0.113.9"),
        (1, "1.1.1.1, 203.0.113.9", "10.0.0.5", "203.0.113.9"),  # the forged left entry is ignored
        (2, "1.1.1.1, 203.0.113.9, 10.0.0.9", "10.0.0.5", "203.0.113.9"),  # two proxies
        (2, "203.0.113.9", "10.0.0.5", "10.0.0.5"),  # fewer entries than proxies: straight in
        (1, "not-an-address", "10.0.0.5", "10.0.0.5"),
        (1, "[2001:db8::1]:443", "10.0.0.5", "2001:db8::1"),
        (1, "", "10.0.0.5", "10.0.0.5"),
    ],
)
def test_client_ip(settings, count, forwarded, remote, expected):
    settings.SKOLHUBB_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
