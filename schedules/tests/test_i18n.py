"""The schedules app's own English catalogue (schedules/locale/en): complete, placeholders
kept, compiled; and the schedule page in English after switching."""

import gettext
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.test_i18n import PLACEHOLDER, parse_po, switch_to_english

LOCALE = Path(__file__).resolve().parents[1] / "locale" / "en" / "LC_MESSAGES"
PO_PATH, MO_PATH = LOCALE / "django.po", LOCALE / "django.mo"


@pytest.fixture(autouse=True)
def _reset_language():
    """LocaleMiddleware leaves the last request's language active in the thread."""
    yield
    translation.deactivate()


def test_catalogue_is_complete_keeps_placeholders_and_is_compiled():
    entries = [e for e in parse_po(PO_PATH) if e["msgid"]]
    assert len(entries) > 150
    with MO_PATH.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    problems = []
    for e in entries:
        forms = 2 if "msgid_plural" in e else 1
        if "fuzzy" in e["flags"] or len(e["msgstr"]) < forms or not all(s.strip() for s in e["msgstr"]):
            problems.append(f"untranslated: {e['msgid']!r}")
        for form in e["msgstr"]:
            if sorted(PLACEHOLDER.findall(form)) != sorted(PLACEHOLDER.findall(e["msgid"])):
                problems.append(f"placeholders: {e['msgid']!r}")
        if "msgid_plural" in e:
            got = [catalogue.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        else:
            got = [catalogue.gettext(e["msgid"])]
        if got != e["msgstr"]:
            problems.append(f"stale .mo: {e['msgid']!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_schedule_page_in_english(frozen, demo, client_for):
    client = client_for("guardian")
    switch_to_english(client)
    html = client.get(reverse("schedules:child-week", args=[demo["alva"].pk])).content.decode()
    assert "Schedule for Alva" in html and "Base schedule" in html and "are locked" in html
    assert "Schema för Alva" not in html
