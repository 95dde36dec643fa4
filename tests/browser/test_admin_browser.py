"""The administrator's admin in Chromium: Swedish, and axe finds no critical or serious
WCAG 2.1 A/AA violation on its main pages (index, child, user, placement, audit log)."""

import pytest

from conftest import browser_login, screenshot


def _serious(page) -> list[str]:
    from conftest import AXE_JS

    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} – " + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


# English a Swedish administrator used to see (axes, new Django 6.1 texts).
ENGLISH = ["Access attempts", "Select an option", "Filter by", "Note: You are", "Add another", "Today ("]


@pytest.mark.services
@pytest.mark.browser
def test_admin_main_pages_are_swedish_and_accessible(browser_page, demo):
    from accounts.models import User
    from roster.models import Placement

    page = browser_page
    missing = []  # any 404 (a missing favicon, script or catalogue) fails the test with its URL
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    page.set_viewport_size({"width": 1280, "height": 900})
    browser_login(page, "admin@example.se")
    admin = page.base_url + "/forvaltning/"
    alva = demo["alva"]
    pages = {
        "index": admin,
        "child": admin + f"roster/child/{alva.pk}/change/",
        "children": admin + "roster/child/",
        "user": admin + f"accounts/user/{User.objects.get(email='anna.andersson@example.se').pk}/change/",
        "placement": admin + f"roster/placement/{Placement.objects.filter(child=alva).first().pk}/change/",
        "audit": admin + "accounts/auditevent/",
    }
    problems = []
    page.goto(admin)
    sections = page.locator("caption").all_inner_texts()
    problems += [f"index: section {s!r} twice" for s in set(sections) if sections.count(s) > 1]
    for name, url in pages.items():
        page.goto(url)
        page.wait_for_load_state("networkidle")
        html = page.content()
        problems += [f"{name}: English {word!r}" for word in ENGLISH if word in html]
        problems += [f"{name}: {line}" for line in _serious(page)]
        screenshot(page, f"admin-{name}-desktop")

    # The guardian search on a child's page tells namesakes apart (e-mail, birth date), and
    # the open search stays accessible.
    page.goto(pages["child"])
    page.wait_for_load_state("networkidle")
    rows = page.locator("select[name^='guardianships-'][name$='-guardian']:not([name*='__prefix__'])").count()
    page.get_by_role("button", name="Lägg till ytterligare Vårdnadshavare").click()
    new_field = page.locator(f"#id_guardianships-{rows}-guardian")
    combobox = page.locator(f"#id_guardianships-{rows}-guardian + .select2-container [role=combobox]")
    assert combobox.get_attribute("aria-labelledby").startswith(f"id_guardianships-{rows}-guardian_label")
    combobox.click()
    page.keyboard.type("Anna Andersson")
    option = page.locator(".select2-results__option", has_text="anna.andersson@example.se")
    option.wait_for()
    assert option.inner_text() == "Anna Andersson · anna.andersson@example.se · f. 1986-04-12"
    problems += [f"child, guardian search open: {line}" for line in _serious(page)]
    screenshot(page, "admin-guardian-search-desktop")
    option.click()
    assert new_field.input_value() == str(User.objects.get(email="anna.andersson@example.se").pk)
    assert not problems + missing, "\n".join(problems + missing)
