"""Anna on her phone: the bell shows her unread notifications (loaded by htmx), she opens the
conversation with 3B's mentor, answers, and books a development talk for Elias. axe finds no
WCAG 2.1 A/AA violations on the pages she passes."""

import pytest

from conftest import axe_violations, browser_login, screenshot


@pytest.mark.services
@pytest.mark.browser
def test_bell_messages_and_booking_on_a_phone(browser_page):
    page = browser_page
    browser_login(page, "anna.andersson@example.se")
    page.goto(page.base_url + "/")
    page.wait_for_load_state("networkidle")
    bell = page.locator("#notification-bell")
    assert bell.locator(".badge").inner_text().strip().isdigit()  # swapped in by htmx
    problems = {}
    page.goto(page.base_url + "/meddelanden/")
    problems["inbox"] = axe_violations(page)
    page.get_by_role("link", name="Utflykten på torsdag").click()
    page.wait_for_load_state("networkidle")
    page.locator("#id_body").fill("Tack, då vet vi!")
    page.get_by_role("button", name="Skicka").click()
    page.wait_for_load_state("networkidle")
    assert "Tack, då vet vi!" in page.content()
    problems["thread"] = axe_violations(page)
    screenshot(page, "comms-thread")
    page.goto(page.base_url + "/utvecklingssamtal/")
    problems["bookings"] = axe_violations(page)
    page.locator(".slot-list button").first.click()
    page.wait_for_load_state("networkidle")
    assert "Tiden är bokad" in page.content() and "Bokat:" in page.content()
    screenshot(page, "comms-booked")
    for path, name in (
        ("/notiser/", "notifications"),
        ("/notiser/installningar/", "settings"),
        ("/konto/kontaktlista/", "contacts"),
        ("/kalender/prenumerera/", "feed"),
    ):
        page.goto(page.base_url + path)
        problems[name] = axe_violations(page)
    assert not any(problems.values()), problems
