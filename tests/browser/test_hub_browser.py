"""Anna on her phone: logs in, sees both children's boxes; axe finds no WCAG 2.1 A/AA
violations on the login page or the Hub."""

import pytest

from conftest import axe_violations, browser_login, screenshot


@pytest.mark.services
@pytest.mark.browser
def test_anna_sees_both_children_on_her_phone(browser_page):
    page = browser_page
    page.goto(page.base_url + "/konto/login/")
    assert page.get_by_role("heading", name="Logga in på Skolhubb").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "login-phone")

    browser_login(page, "anna.andersson@example.se")
    assert page.url.rstrip("/") == page.base_url
    switcher = page.get_by_role("navigation", name="Välj barn")
    assert switcher.is_visible()

    # One child at a time on a phone; the switcher shows the other.
    first = page.locator(".column--selected")
    assert first.get_by_role("heading", name="Information").is_visible()
    assert first.get_by_role("heading", name="Kalender").is_visible()
    names = [first.locator(".column__title").inner_text()]
    assert axe_violations(page) == []
    screenshot(page, "hub-phone")

    other = "Alva Andersson" if names[0] == "Elias Andersson" else "Elias Andersson"
    switcher.get_by_role("link", name=other).click()
    page.wait_for_load_state("networkidle")
    selected = page.locator(".column--selected")
    assert selected.locator(".column__title").inner_text() == other
    assert selected.get_by_role("heading", name="Information").is_visible()
    assert selected.get_by_role("heading", name="Kalender").is_visible()

    # On a wide screen both children stand side by side.
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    visible = [t for t in page.locator(".column__title").all_inner_texts()]
    assert sorted(visible) == ["Alva Andersson", "Elias Andersson"]
    assert page.locator(".column").nth(0).is_visible() and page.locator(".column").nth(1).is_visible()
    assert axe_violations(page) == []
    screenshot(page, "hub-desktop")
