"""The family's assessment pages in headless Chromium with an e-ID session: the session comes
from this app's `eid_client_for` fixture (its cookie handed to the browser), so the swap to
the real e-ID flow changes nothing here."""

import pytest

from conftest import axe_violations, screenshot


@pytest.mark.services
@pytest.mark.browser
def test_family_pages_with_eid_pass_axe(browser_page, eid_client_for):
    """The guardian's pages on a phone, with an e-ID session made by the app's e-ID fixture
    (its cookie handed to the browser): no WCAG 2.1 A/AA violations, and the levels read
    as text."""
    from django.conf import settings

    from roster.models import Child

    page = browser_page
    elias = Child.objects.get(given_name="Elias", family_name="Andersson")
    client = eid_client_for("guardian")
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": page.base_url,
            }
        ]
    )
    for path, name in [
        ("", "assessments-family-matrix"),
        ("betyg/", "assessments-family-grades"),
        ("iup/", "assessments-family-iup"),
        ("stod/", "assessments-family-support"),
        ("anteckningar/", "assessments-family-notes"),
        ("logg/", "assessments-family-log"),
    ]:
        response = page.goto(page.base_url + f"/bedomningar/barn/{elias.pk}/{path}")
        assert response.status == 200, path
        assert axe_violations(page) == [], path
        screenshot(page, name)
    page.goto(page.base_url + f"/bedomningar/barn/{elias.pk}/")
    assert page.get_by_role("heading", name="Svenska").is_visible()
    assert page.locator(".criteria .level--green .level__text").first.inner_text() == "Uppnått"
    page.goto(page.base_url + "/")
    assert page.locator(".column--selected .box--bedomningar").get_by_text("Bedömd i 3 ämnen").is_visible()
