"""Anna logs in with her password, opens a page that needs e-ID, walks the development
e-ID provider ("Välj testperson") and comes back to that page with high assurance; then she
pairs an app and the app uses its token against /api/v1/. axe finds no WCAG 2.1 A/AA
violations on the pages she sees."""

import pytest
import requests

from accounts.testing import eid_issuer_on
from conftest import axe_violations, browser_login, screenshot


@pytest.mark.services
@pytest.mark.browser
def test_step_up_with_eid_then_pair_an_app(browser_page, settings):
    page = browser_page
    base = page.base_url
    eid_issuer_on(settings, base)  # the site's relying party talks to the live server over HTTP
    browser_login(page, "anna.andersson@example.se")
    assert page.get_by_text("Inloggad med lösenord").is_visible()

    page.goto(base + "/konto/sakerhet/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Välj testperson").is_visible()
    assert "/dev-eid/authorize/" in page.url
    assert axe_violations(page) == []
    screenshot(page, "eid-choose-test-person")
    page.get_by_label("Anna Andersson", exact=False).check()
    page.get_by_role("button", name="Legitimera").click()
    page.wait_for_load_state("networkidle")

    assert page.url == base + "/konto/sakerhet/"
    assert page.get_by_role("heading", name="Säkerhet och inloggning").is_visible()
    assert page.get_by_text("Inloggad med e-legitimation").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "eid-security-page")

    page.goto(base + "/konto/appar/")
    page.get_by_role("button", name="Skapa kopplingskod").click()
    page.wait_for_load_state("networkidle")
    code = page.locator("#pairing-code").inner_text()
    assert len(code) == 9
    assert page.locator(".qr svg").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "pairing-code")

    # The app, elsewhere: exchanges the code and calls the API with its token.
    paired = requests.post(base + "/api/v1/accounts/pair", json={"code": code, "name": "Annas telefon"}, timeout=10)
    assert paired.status_code == 201, paired.text
    token = paired.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    me = requests.get(base + "/api/v1/accounts/me", headers=headers, timeout=10).json()
    assert me["email"] == "anna.andersson@example.se"
    assert me["assurance"] == "low"  # a device token is password class
    children = requests.get(base + "/api/v1/hub/children", headers=headers, timeout=10).json()
    assert {c["given_name"] for c in children} == {"Alva", "Elias"}

    page.goto(base + "/konto/appar/")
    assert page.get_by_text("Annas telefon", exact=True).is_visible()
    page.get_by_role("button", name="Koppla bort Annas telefon").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Appen är bortkopplad").is_visible()
    assert requests.get(base + "/api/v1/accounts/me", headers=headers, timeout=10).status_code == 401
