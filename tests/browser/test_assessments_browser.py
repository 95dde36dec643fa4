"""Anna on a password session sees the Bedömningar box locked, steps up with e-ID and
sees Elias's matrix; Bo with e-ID gets 404 on Elias's pages. axe finds no WCAG 2.1 A/AA
violations on the Hub or the assessments page.

The step-up needs the built-in e-ID dev provider (issue: e-ID over OIDC), which is not on
main yet: until `accounts:eid-start` does more than say it is not switched on, the test
checks the locked box and skips the rest. The lead enables it after merging the e-ID
branch (the provider's "Välj testperson" step below may need its real selectors)."""

import re

import pytest

from conftest import axe_violations, browser_login, screenshot

NOT_SWITCHED_ON = "inte påslagen"


def _choose_test_person(page, name: str) -> None:
    """The dev provider's "Välj testperson" page: pick the person and confirm."""
    page.get_by_role("button", name=re.compile(name)).click()
    page.wait_for_load_state("networkidle")


@pytest.mark.services
@pytest.mark.browser
def test_anna_steps_up_to_see_the_matrix_and_bo_cannot(browser_page):
    from roster.models import Child

    page = browser_page
    elias = Child.objects.get(given_name="Elias", family_name="Andersson")
    browser_login(page, "anna.andersson@example.se")
    page.goto(page.base_url + f"/?barn={elias.pk}")
    box = page.locator(".column--selected .box--bedomningar")
    assert box.is_visible()
    assert "box--locked" in box.get_attribute("class")
    lock_link = box.get_by_role("link", name=re.compile("Logga in med e-legitimation"))
    assert lock_link.is_visible()
    assert page.locator(".column--selected .box--betyg.box--locked").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "assessments-hub-locked")

    lock_link.click()
    page.wait_for_load_state("networkidle")
    if NOT_SWITCHED_ON in page.content():
        pytest.skip("needs the e-ID dev provider")
    _choose_test_person(page, "Anna")
    page.goto(page.base_url + f"/bedomningar/barn/{elias.pk}/")
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Bedömningar – Elias Andersson").is_visible()
    assert page.get_by_role("heading", name="Svenska").is_visible()
    assert page.locator(".level--green .level__text").first.inner_text() == "Uppnått"
    assert axe_violations(page) == []
    screenshot(page, "assessments-elias")

    page.context.clear_cookies()
    browser_login(page, "bo.berg@example.se")
    page.goto(page.base_url + "/konto/e-legitimation/?next=/")
    _choose_test_person(page, "Bo")
    response = page.goto(page.base_url + f"/bedomningar/barn/{elias.pk}/")
    assert response.status == 404


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
