"""The schedule page in English after switching (the one catalogue, locale/en, is checked
in tests/test_i18n.py)."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.test_i18n import switch_to_english


@pytest.fixture(autouse=True)
def _reset_language():
    """LocaleMiddleware leaves the last request's language active in the thread."""
    yield
    translation.deactivate()


@pytest.mark.django_db
def test_schedule_page_in_english(frozen, demo, client_for):
    client = client_for("guardian")
    switch_to_english(client)
    html = client.get(reverse("schedules:child-week", args=[demo["alva"].pk])).content.decode()
    assert "Care hours for Alva" in html and "Base schedule" in html and "are locked" in html
    assert "Omsorgstider för Alva" not in html
