"""Anna on a password session sees the Bedömningar box locked, steps up through the
development e-ID provider ("Välj testperson") and comes back to see Elias's matrix and the
rest of his documents; Bo with e-ID gets 404 on Elias's pages. The teacher assesses in the
matrix; the principal reads the log. axe finds no WCAG 2.1 A/AA violations on the pages."""

import re

import pytest

from accounts.testing import eid_issuer_on
from conftest import axe_violations, browser_login, screenshot


def _choose_test_person(page, name: str) -> None:
    """The dev provider's "Välj testperson" page: pick the person and confirm."""
    assert page.get_by_role("heading", name="Välj testperson").is_visible()
    page.get_by_label(name, exact=False).check()
    page.get_by_role("button", name="Legitimera").click()
    page.wait_for_load_state("networkidle")


@pytest.mark.services
@pytest.mark.browser
def test_anna_steps_up_to_see_the_matrix_and_bo_cannot(browser_page, settings):
    from roster.models import Child

    page = browser_page
    base = page.base_url
    eid_issuer_on(settings, base)  # the site's relying party talks to the live server over HTTP
    elias = Child.objects.get(given_name="Elias", family_name="Andersson")
    browser_login(page, "anna.andersson@example.se")
    page.goto(base + f"/?barn={elias.pk}")
    box = page.locator(".column--selected .box--bedomningar")
    assert "box--locked" in box.get_attribute("class")
    assert page.locator(".column--selected .box--betyg.box--locked").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "assessments-hub-locked")

    box.get_by_role("link", name=re.compile("Logga in med e-legitimation")).click()
    page.wait_for_load_state("networkidle")
    _choose_test_person(page, "Anna Andersson")
    assert page.url == base + f"/?barn={elias.pk}"  # back where she started
    box = page.locator(".column--selected .box--bedomningar")
    assert "box--locked" not in box.get_attribute("class")
    assert box.get_by_text("Bedömd i 3 ämnen").is_visible()
    box.get_by_role("link", name="Visa bedömningar").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Bedömningar – Elias Andersson").is_visible()
    assert page.get_by_role("heading", name=re.compile("^Svenska")).is_visible()
    assert page.locator(".criteria .level--green .level__text").first.inner_text() == "Uppnått"
    assert axe_violations(page) == []
    screenshot(page, "assessments-family-matrix")
    for path, name in [
        ("betyg/", "grades"),
        ("iup/", "iup"),
        ("stod/", "support"),
        ("anteckningar/", "notes"),
        ("logg/", "log"),
    ]:
        response = page.goto(base + f"/bedomningar/barn/{elias.pk}/{path}")
        assert response.status == 200, path
        assert axe_violations(page) == [], path
        screenshot(page, f"assessments-family-{name}")
    assert page.get_by_role("cell", name="Anna Andersson").first.is_visible()  # her own reads, logged

    page.context.clear_cookies()
    browser_login(page, "bo.berg@example.se")
    page.goto(base + "/bedomningar/")
    page.get_by_role("link", name="Logga in med e-legitimation").click()
    page.wait_for_load_state("networkidle")
    _choose_test_person(page, "Bo Berg")
    assert page.url == base + "/bedomningar/"
    # (page.request shares the browser's session; a 404 navigation would log a console error)
    for path in ["", "betyg/", "iup/", "stod/", "anteckningar/", "logg/"]:
        assert page.request.get(base + f"/bedomningar/barn/{elias.pk}/{path}").status == 404, path


@pytest.mark.services
@pytest.mark.browser
def test_teacher_assesses_in_the_matrix_and_the_principal_reads_the_log(browser_page):
    page = browser_page
    browser_login(page, "larare.3b@example.se")
    page.goto(page.base_url + "/bedomningar/")
    page.get_by_role("link", name="Matris Svenska").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Svenska i 3B").is_visible()
    assert axe_violations(page) == []
    page.get_by_label("Ny bedömning: Elias Andersson, Samtalar").select_option("red")
    page.get_by_label("Kommentar: Elias Andersson, Samtalar").fill("Övar på att vänta på sin tur.")
    page.get_by_role("button", name="Spara matrisen").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("1 bedömning är sparad.").is_visible()
    screenshot(page, "assessments-matrix")
    page.get_by_role("link", name="Elias Andersson").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Övar på att vänta på sin tur.").is_visible()
    assert axe_violations(page) == []

    page.context.clear_cookies()
    browser_login(page, "rektor@example.se")
    page.goto(page.base_url + "/bedomningar/")
    page.get_by_role("link", name="Lars Lärare").first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("cell", name="Bedömningar: Elias Andersson").first.is_visible()
    assert axe_violations(page) == []
    page.goto(page.base_url + "/bedomningar/")
    page.get_by_role("link", name="Betygskatalog och betygsdag").first.click()
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    screenshot(page, "assessments-catalogue")
