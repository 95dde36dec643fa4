"""Anna reports Elias sick today in two taps from the Hub on her phone; the 3B teacher
opens today's lesson and finds Elias pre-marked. axe finds no WCAG 2.1 A/AA violations."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from conftest import axe_violations, browser_login, screenshot


def _school_morning():
    """07:30 on the next weekday that is not a holiday and inside a term, away from the demo's
    Christmas break and the summer (so the timetable runs and the statistics have weeks)."""
    from absence.calendar import is_school_day

    day = timezone.localdate() + timedelta(days=1)

    def off(d):
        return (d.month, d.day) >= (12, 20) or (d.month, d.day) <= (1, 20) or (6, 10) <= (d.month, d.day) <= (8, 31)

    while not is_school_day(day) or off(day):
        day += timedelta(days=1)
    return datetime.combine(day, time(7, 30), tzinfo=ZoneInfo("Europe/Stockholm"))


@pytest.fixture
def school_morning():
    # The live server runs in this process, so it sees the travelled clock too.
    with time_machine.travel(_school_morning(), tick=True):
        yield


@pytest.mark.services
@pytest.mark.browser
def test_sick_in_two_taps_and_the_teacher_sees_it(school_morning, browser_page):
    page = browser_page
    browser_login(page, "anna.andersson@example.se")
    column = page.locator(".column--selected")
    assert column.locator(".column__title").inner_text() == "Elias Andersson"
    assert axe_violations(page) == []
    column.get_by_role("button", name="Sjukanmäl Elias idag").click()  # tap 1
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Är Elias sjuk idag?").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ja, anmäl sjuk idag").click()  # tap 2
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Elias är sjukanmäld idag.").is_visible()
    assert page.locator(".column--selected .box--franvaro").get_by_text("Sjuk").first.is_visible()
    screenshot(page, "absence-hub-reported")

    page.context.clear_cookies()
    browser_login(page, "larare.3b@example.se")
    staff_box = page.locator(".box--franvaro")
    assert staff_box.get_by_text("Elias Andersson").is_visible()
    staff_box.locator("a[href*='/franvaro/lektion/']").first.click()
    page.wait_for_load_state("networkidle")
    row = page.locator(".attendance__row", has_text="Elias Andersson")
    assert row.get_by_text("Anmäld: Sjuk").is_visible()
    assert row.get_by_label("Frånvarande").is_checked()
    assert row.get_by_label("Giltig frånvaro").is_checked()
    other = page.locator(".attendance__row", has_text="Bella Berg")
    assert other.get_by_label("Närvarande").is_checked()
    assert axe_violations(page) == []
    screenshot(page, "absence-lesson-phone")
    page.get_by_role("button", name="Spara närvaro").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Närvaron för").is_visible()

    # Today's absence and the group's statistics (the server-rendered SVG chart).
    page.goto(page.base_url + "/franvaro/idag/")
    assert page.get_by_role("cell", name="Elias Andersson").is_visible()
    assert axe_violations(page) == []
    page.goto(page.base_url + "/")
    page.locator(".box--franvaro").get_by_role("link", name="Statistik 3B").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("img", name="Frånvaro per vecka i procent av schemalagd tid").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "absence-stats-phone")
