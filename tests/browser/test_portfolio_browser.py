"""The 3B teacher documents an outing from her phone: picks two photos (one from an
iPhone, HEIC), watches them upload with progress while she writes, publishes; Anna then
sees the entry with its photos in Elias's Hub box and on the entry page. axe finds no
WCAG 2.1 A/AA violations on the form, the Hub or the entry."""

import io
import random

import pytest
from PIL import Image
from playwright.sync_api import expect

from conftest import axe_violations, browser_login, screenshot
from portfolio.demo import demo_photo


def _heic() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (900, 700), (90, 160, 90)).save(out, "HEIF")
    return out.getvalue()


@pytest.mark.services
@pytest.mark.browser
def test_teacher_uploads_and_the_guardian_sees_it(browser_page):
    from roster.models import Group

    page = browser_page
    group = Group.objects.get(name="3B", unit__code="DEMO-NORRSKOLAN")
    browser_login(page, "larare.3b@example.se")
    page.goto(page.base_url + f"/dokumentation/ny/{group.pk}/")
    assert page.get_by_role("heading", name="Ny dokumentation").is_visible()
    assert page.get_by_text("Utan samtycke till bilder").is_visible()
    assert axe_violations(page) == []

    page.get_by_label("Enskild").check()
    page.get_by_label("Elias Andersson").check()
    page.set_input_files(
        "input.js-media-input",
        files=[
            {"name": "IMG_0420.JPG", "mimeType": "image/jpeg", "buffer": demo_photo(random.Random(3))},
            {"name": "IMG_0421.HEIC", "mimeType": "image/heic", "buffer": _heic()},
        ],
    )
    # The form stays usable while the files upload.
    page.get_by_label("Rubrik").fill("Elias bygger en bro")
    page.get_by_label("Text").fill("Elias byggde en bro av glasspinnar.\n\nDen höll för tre böcker!")
    expect(page.locator(".upload--done")).to_have_count(2, timeout=30000)
    assert page.locator("input[type=hidden][name=media]").count() == 2
    screenshot(page, "portfolio-upload-phone")
    page.get_by_role("button", name="Publicera").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Dokumentationen är publicerad.").is_visible()
    images = page.locator(".media-grid img")
    assert images.count() == 2
    assert all(img.evaluate("i => i.complete && i.naturalWidth > 0") for img in images.all())

    page.context.clear_cookies()
    browser_login(page, "anna.andersson@example.se")
    page.goto(page.base_url + "/?barn=" + str(_elias_id()))
    box = page.locator(".column--selected .box--dokumentation")
    link = box.get_by_role("link", name="Elias bygger en bro")
    assert link.is_visible()
    thumb = box.locator("img").first
    thumb.scroll_into_view_if_needed()  # lazy-loaded below the fold on a phone
    expect(thumb).to_have_js_property("complete", True)
    assert thumb.evaluate("i => i.naturalWidth") > 0
    assert axe_violations(page) == []
    link.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name="Elias bygger en bro").is_visible()
    assert page.locator(".media-grid img").count() == 2
    assert axe_violations(page) == []
    screenshot(page, "portfolio-entry-guardian")


def _elias_id() -> int:
    from roster.models import Child

    return Child.objects.get(given_name="Elias", family_name="Andersson").pk
