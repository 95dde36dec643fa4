"""Anna on her phone: logs in, sees both children's boxes; axe finds no WCAG 2.1 A/AA
violations on the login page or the Hub. The principal's long menu in sections, by keyboard,
on a phone and a desktop."""

import re

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


@pytest.mark.services
@pytest.mark.browser
def test_principal_menu_in_sections_on_phone_and_desktop(browser_page):
    page = browser_page
    browser_login(page, "rektor@example.se")
    nav = page.get_by_role("navigation", name="Huvudmeny")
    # The everyday entries first, the rest in sections (native disclosure buttons).
    assert nav.get_by_role("link", name="Hubben").is_visible()
    assert nav.get_by_role("link", name="Meddelanden").is_visible()
    assert not nav.get_by_role("link", name="Veckoplan").is_visible()
    summaries = nav.locator("summary").all_inner_texts()
    assert summaries == ["Frånvaro", "Skola", "Förskola och fritids", "Mer"]
    assert axe_violations(page) == []
    screenshot(page, "hub-principal-phone")

    # Keyboard: to "Skola", Enter opens it, its links can be reached; Escape closes it and
    # leaves the focus on its button.
    school = nav.locator("summary").filter(has_text=re.compile("^Skola$"))
    school.focus()
    page.keyboard.press("Enter")
    assert nav.get_by_role("link", name="Veckoplan").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # 390 px wide
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Mitt schema"
    assert axe_violations(page) == []
    screenshot(page, "hub-principal-phone-menu-open")
    page.keyboard.press("Escape")
    assert not nav.get_by_role("link", name="Veckoplan").is_visible()
    assert page.evaluate("document.activeElement.textContent") == "Skola"

    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    screenshot(page, "hub-principal-desktop")
    school.click()
    # One section open at a time.
    nav.locator("summary").filter(has_text=re.compile("^Mer$")).click()
    page.wait_for_function("document.querySelectorAll('.site-nav details[open]').length === 1")
    assert nav.get_by_role("link", name="Kontaktlista").is_visible()
    assert not nav.get_by_role("link", name="Veckoplan").is_visible()
    # The last section opens leftwards: nothing reaches past the window.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert axe_violations(page) == []
    screenshot(page, "hub-principal-desktop-menu-open")
    nav.get_by_role("link", name="Kontaktlista").click()
    page.wait_for_load_state("networkidle")
    assert page.url == page.base_url + "/konto/kontaktlista/"
    # On the page the section holding it is marked, and its link (only that one) says it is
    # the current page.
    assert nav.locator("summary.site-nav__summary--current").inner_text() == "Mer"
    assert nav.locator("a[aria-current=page]").get_attribute("href") == "/konto/kontaktlista/"
