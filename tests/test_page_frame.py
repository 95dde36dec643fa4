"""The page frame (header and footer) is rendered once per language, menu and login method
and kept in memory (config/frame.py); what is per request is put in afterwards. These tests
prove the per-request parts are right: each response carries its own working CSRF token,
the footer's return path is the request's own and escaped, and menus never cross people."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _tokens(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


def test_the_logout_and_language_forms_carry_a_working_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["guardian"])
    html = client.get(reverse("hub:dashboard")).content.decode()
    tokens = _tokens(html)
    assert len(tokens) == 2 and not any(t.startswith("csrf-") for t in tokens), tokens
    response = client.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": tokens[1]})
    assert response.status_code == 302
    html = client.get(reverse("hub:dashboard")).content.decode()
    assert "Log out" in html or "Logga ut" not in html, "the frame follows the language"
    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": _tokens(html)[0]})
    assert response.status_code == 302
    assert client.get(reverse("hub:dashboard")).status_code == 302, "logged out"


def test_another_session_gets_its_own_token(personas):
    first, second = Client(), Client()
    first.force_login(personas["guardian"])
    second.force_login(personas["guardian"])
    a = _tokens(first.get(reverse("hub:dashboard")).content.decode())
    b = _tokens(second.get(reverse("hub:dashboard")).content.decode())
    assert a and b and a[0] != b[0]


def test_the_return_path_is_the_requests_own_and_escaped(client_for):
    anna = client_for("guardian")
    html = anna.get(reverse("hub:news-list") + '?sida="><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)</script>" not in html
    assert 'value="/information/?sida=%22%3E%3Cscript%3Ealert(1)%3C/script%3E"' in html
    html = anna.get(reverse("hub:news-list") + "?sida=2&a=1").content.decode()
    assert 'name="next" type="hidden" value="/information/?sida=2&amp;a=1"' in html
    html = anna.get(reverse("hub:calendar")).content.decode()
    assert 'name="next" type="hidden" value="/kalender/"' in html


def test_menus_and_login_method_never_cross_people(client_for, personas, eid_login):
    guardian_page = client_for("guardian").get(reverse("hub:dashboard")).content.decode()
    principal_page = client_for("principal").get(reverse("hub:dashboard")).content.decode()
    assert "Administration" not in guardian_page or guardian_page.count("/admin/") == 0
    assert guardian_page.split("<nav", 1)[1].split("</nav>")[0] != principal_page.split("<nav", 1)[1].split("</nav>")[0]
    assert "Inloggad med lösenord" in guardian_page
    client = Client()
    eid_login(client, personas["guardian"])
    assert "Inloggad med e-legitimation" in client.get(reverse("hub:dashboard")).content.decode()


def test_the_hub_shows_a_message_once_after_a_redirect(client_for, demo):
    """The Hub and the Kalender put a cached page into a frame rendered once
    (config.frame.render_framed); a request with a message to show is rendered in full,
    and the message shows once."""
    anna = client_for("guardian")
    anna.get(reverse("hub:dashboard"))  # the shell is in memory
    response = anna.post(reverse("absence:quick-sick", args=[demo["elias"].pk]), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("hub:dashboard")
    assert "är sjukanmäld idag." in html and 'class="messages"' in html
    again = anna.get(reverse("hub:dashboard")).content.decode()
    assert "är sjukanmäld idag." not in again and 'class="messages"' not in again


def test_the_framed_hub_is_the_whole_page_with_the_requests_own_parts(client_for):
    anna = client_for("guardian")
    first = anna.get(reverse("hub:dashboard") + "?x=<b>").content.decode()
    second = anna.get(reverse("hub:dashboard")).content.decode()
    for html in (first, second):
        assert html.startswith("<!DOCTYPE html>") and html.rstrip().endswith("</html>")
        assert "<title>Hubben – Skolhubb</title>" in html and 'class="page page--hub"' in html
        assert not re.search(r"(csrf|path|body)-[0-9a-f]{32}", html), "a stand-in was left in"
    assert 'value="/?x=%3Cb%3E"' in first and 'value="/"' in second
    assert _tokens(first)[0] != _tokens(second)[0]
