"""Elias takes the 3B eTest on his phone (answers saved as he goes, kept over a reload), the
teacher marks the text answer and releases the results, Elias sees his result. Then the
teaching pages at 360 px and on a desktop, each checked by axe (WCAG 2.1 A/AA)."""

import pytest

from conftest import axe_violations, browser_login, screenshot


def _go(page, path):
    page.goto(page.base_url + path)
    page.wait_for_load_state("networkidle")


@pytest.mark.services
@pytest.mark.browser
def test_student_takes_an_etest_and_the_teacher_releases_results(browser_page):
    page = browser_page
    browser_login(page, "elev.elias@example.se")
    hub_box = page.locator(".column--selected .box--etest")
    assert hub_box.get_by_text("Multiplikation 3B").is_visible()
    hub_box.get_by_role("link", name="Multiplikation 3B").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Multiplikation 3B").is_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Starta provet").click()
    page.wait_for_load_state("networkidle")

    questions = page.locator("fieldset.question")
    assert questions.count() == 3
    questions.nth(0).get_by_label("42").check()
    questions.nth(0).locator(".save-status").get_by_text("Sparat").wait_for()
    questions.nth(1).get_by_label("12").check()
    questions.nth(1).get_by_text("Sparat").wait_for()
    questions.nth(1).get_by_label("28").check()
    page.wait_for_load_state("networkidle")
    questions.nth(2).get_by_label("Ditt svar").fill("Åtta fem gånger: 8 + 8 + 8 + 8 + 8 = 40.")
    questions.nth(2).get_by_text("Sparat").wait_for()
    assert axe_violations(page) == []
    screenshot(page, "etest-take-phone")

    # A lost connection loses nothing already answered: the server has every answer.
    page.reload()
    page.wait_for_load_state("networkidle")
    questions = page.locator("fieldset.question")
    assert questions.nth(0).get_by_label("42").is_checked()
    assert questions.nth(1).get_by_label("12").is_checked() and questions.nth(1).get_by_label("28").is_checked()
    assert "8 + 8" in questions.nth(2).get_by_label("Ditt svar").input_value()
    page.get_by_role("button", name="Lämna in provet").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Provet är inlämnat.").first.is_visible()

    page.context.clear_cookies()
    browser_login(page, "larare.3b@example.se")
    _go(page, "/skola/etest/")
    page.get_by_role("link", name="Multiplikation 3B").click()
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == []
    screenshot(page, "etest-teacher-phone")
    page.get_by_role("link", name="Elias Andersson").click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("Poäng (0–2)").fill("2")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Spara rättningen").click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Släpp resultaten").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Resultaten är släppta till eleverna.").is_visible()

    page.context.clear_cookies()
    browser_login(page, "elev.elias@example.se")
    _go(page, "/skola/etest/")
    page.get_by_role("link", name="Multiplikation 3B").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("5 av 5 poäng").is_visible()
    assert axe_violations(page) == []
    screenshot(page, "etest-result-phone")


PAGES = {
    "anna.andersson@example.se": [
        "/",
        "/skola/veckoplan/",
        "/skola/planeringar/",
        "/skola/uppgifter/",
        "/skola/schema/",
    ],
    "elev.elias@example.se": ["/skola/uppgifter/", "/skola/etest/"],
    "larare.3b@example.se": [
        "/skola/planeringar/",
        "/skola/planeringar/ny/",
        "/skola/veckoplan/",
        "/skola/uppgifter/",
        "/skola/etest/",
    ],
}


@pytest.mark.services
@pytest.mark.browser
def test_teaching_pages_at_360_px_and_on_a_desktop_pass_axe(browser_page):
    from django.utils import timezone

    from roster.dates import monday_of
    from roster.models import Group
    from school.models import Assignment, Planning

    page = browser_page
    group = Group.objects.get(name="3B", unit__code="DEMO-NORRSKOLAN")
    planning = Planning.objects.get(title="Vikingatiden")
    assignment = Assignment.objects.get(title="Skriv om din favoritbok")
    extra = {
        "anna.andersson@example.se": [
            f"/skola/planeringar/{planning.pk}/",
            f"/skola/planeringar/grupp/{group.pk}/",
            f"/skola/uppgifter/{assignment.pk}/",
            f"/skola/uppgifter/{assignment.pk}/elev/{assignment.group.placements.filter(child__user__isnull=False).first().child_id}/",
        ],
        "elev.elias@example.se": [f"/skola/uppgifter/{assignment.pk}/"],
        "larare.3b@example.se": [
            f"/skola/uppgifter/{assignment.pk}/",
            f"/skola/planeringar/grupp/{group.pk}/",
            f"/skola/uppgifter/grupp/{group.pk}/ny/",
            f"/skola/veckoplan/grupp/{group.pk}/{monday_of(timezone.localdate()).isoformat()}/",
            f"/skola/etest/grupp/{group.pk}/ny/",
        ],
    }
    problems = []
    for width, label in ((360, "360"), (1280, "desktop")):
        page.set_viewport_size({"width": width, "height": 800})
        for email, paths in PAGES.items():
            page.context.clear_cookies()
            browser_login(page, email)
            for path in paths + extra[email]:
                _go(page, path)
                found = axe_violations(page)
                if found:
                    problems.append(f"{email} {path} {label}: {found}")
                # Nothing wider than the screen on a phone.
                if width == 360:
                    overflow = page.evaluate("document.documentElement.scrollWidth")
                    if overflow > 362:
                        problems.append(f"{email} {path}: page is {overflow}px wide at 360px")
                name = email.split("@")[0].replace(".", "-") + path.strip("/").replace("/", "-")
                screenshot(page, f"teaching-{name or 'hub'}-{label}")
    assert problems == []
