"""Anna on her phone registers a base schedule for Alva starting after the lock and sees the
locked days; the pedagog opens the day list. axe finds no WCAG 2.1 A/AA violations."""

from datetime import timedelta

import pytest

from conftest import axe_violations, browser_login, screenshot


@pytest.mark.services
@pytest.mark.browser
def test_anna_registers_a_base_schedule_on_her_phone(browser_page):
    from roster.models import Child, Unit
    from schedules import selectors
    from schedules.models import BaseSchedule

    page = browser_page
    alva = Child.objects.get(given_name="Alva", family_name="Andersson")
    start = selectors.first_open_day()
    start += timedelta(days=(7 - start.weekday()) % 7)  # the Monday after the lock

    browser_login(page, "anna.andersson@example.se")
    page.goto(f"{page.base_url}/schema/barn/{alva.pk}/")
    assert page.get_by_role("heading", name="Omsorgstider för Alva").is_visible()
    locked = page.locator(".sched-day--locked")
    assert locked.count() >= 5  # at least this week's days are locked
    assert locked.first.get_by_text("Låst").count() == 1
    assert page.locator(".sched-day--locked .sched-day__edit").count() == 0  # no "Ändra" on locked days
    assert page.locator(".sched-day:not(.sched-day--locked) .sched-day__edit").count() >= 1
    assert axe_violations(page) == []
    screenshot(page, "schedule-phone")

    page.get_by_role("link", name="Grundschema").click()
    page.get_by_label("Gäller från").fill(start.isoformat())
    for day in ("Måndag", "Tisdag", "Onsdag", "Torsdag", "Fredag"):
        page.get_by_label(f"{day} kommer", exact=True).fill("07:45")
        page.get_by_label(f"{day} går", exact=True).fill("15:30")
    page.get_by_label("Fredag går", exact=True).fill("14:00")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Spara grundschema").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Grundschemat är sparat.").is_visible()
    base = BaseSchedule.objects.get(child=alva, start_date=start)
    assert base.weeks == [[["07:45", "15:30"]] * 4 + [["07:45", "14:00"]]]
    first_week = page.locator(".sched-week").first
    assert first_week.get_by_text("07:45–15:30").count() >= 1
    screenshot(page, "schedule-saved-phone")

    page.context.clear_cookies()
    browser_login(page, "pedagog.solen@example.se")
    solrosen = Unit.objects.get(code="DEMO-SOLROSEN")
    page.goto(f"{page.base_url}/schema/enhet/{solrosen.pk}/?datum={start.isoformat()}")
    assert page.get_by_role("link", name="Alva Andersson").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "schedule-day-list-phone")
    page.goto(f"{page.base_url}/schema/enhet/{solrosen.pk}/planering/?datum={start.isoformat()}")
    assert page.locator("svg.sched-chart[role=img]").count() == 2  # per quarter-hour and per day
    assert axe_violations(page) == []
