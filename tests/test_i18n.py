"""English as a second language: the language switcher changes our own strings too.

The catalogue tests read the committed locale/en/LC_MESSAGES/django.po (and the .mo
compiled from it) with plain Python, so CI needs no gettext tools.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
PO_PATH = LOCALE_DIR / "django.po"
MO_PATH = LOCALE_DIR / "django.mo"
PLACEHOLDER = re.compile(r"%\([^)]+\)[sd]")


@pytest.fixture(autouse=True)
def _reset_language():
    """LocaleMiddleware leaves the last request's language active in the thread."""
    yield
    translation.deactivate()


def switch_to_english(client: Client) -> None:
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr (list of forms), flags, line."""
    entries: list[dict] = []
    entry: dict | None = None
    key = None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):  # blank line or obsolete entry
            if not line:
                finish()
                entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgstr": {}, "line": number}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, int):
                entry["msgstr"][key] += value
            else:
                entry[key] += value
        else:
            keyword, _, value = line.partition(" ")
            value = ast.literal_eval(value)
            if keyword.startswith("msgstr["):
                key = int(keyword[len("msgstr[") : -1])
                entry["msgstr"][key] = value
            elif keyword == "msgstr":
                key = 0
                entry["msgstr"][0] = value
            else:
                key = keyword  # msgid, msgid_plural, msgctxt
                entry[key] = value
    finish()
    for item in entries:
        item["msgstr"] = [item["msgstr"][i] for i in sorted(item["msgstr"])]
    return entries


# Swedish by default, English after switching


@pytest.mark.django_db
def test_login_page_is_swedish_by_default(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "Logga in på Skolhubb" in html
    assert "Glömt lösenord?" in html
    assert "Log in to Skolhubb" not in html


@pytest.mark.django_db
def test_login_page_in_english_after_switching(client_for):
    # The language cookie outlives the session: after logging out, the login page stays English.
    anna = client_for("guardian")
    switch_to_english(anna)
    anna.post(reverse("account_logout"))
    response = anna.get(reverse("account_login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="en"' in html
    for english in ["Log in to Skolhubb", "Log in with e-ID", "With email and password", "Forgot password?"]:
        assert english in html
    for swedish in ["Logga in på Skolhubb", "Logga in med e-legitimation", "Glömt lösenord?", "Hoppa till innehållet"]:
        assert swedish not in html


@pytest.mark.django_db
def test_anonymous_visitor_can_switch_language_on_the_login_page(client):
    switch_to_english(client)
    assert "Log in to Skolhubb" in client.get(reverse("account_login")).content.decode()


@pytest.mark.django_db
def test_hub_in_english_after_switching(client_for):
    anna = client_for("guardian")
    assert "Kalender" in anna.get(reverse("hub:dashboard")).content.decode()

    switch_to_english(anna)
    response = anna.get(reverse("hub:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    for english in ["Hub", "Information", "Calendar", "Your children", "Show all", "My account", "Log out"]:
        assert english in html
    for swedish in ["Hubben", "Kalender", "Dina barn", "Visa alla", "Mitt konto", "Logga ut", "Byt"]:
        assert f">{swedish}<" not in html and f"{swedish}</" not in html


@pytest.mark.django_db
def test_switching_back_to_swedish(client_for):
    anna = client_for("guardian")
    switch_to_english(anna)
    anna.post(reverse("set_language"), {"language": "sv", "next": "/"})
    assert "Dina barn" in anna.get(reverse("hub:dashboard")).content.decode()


# The committed catalogue


def test_po_has_no_untranslated_or_fuzzy_entries():
    entries = parse_po(PO_PATH)
    messages = [e for e in entries if e["msgid"]]
    assert len(messages) > 200, "the catalogue looks truncated"
    header = [e for e in entries if not e["msgid"]]
    assert len(header) == 1 and "Language: en" in header[0]["msgstr"][0]

    fuzzy = [f"line {e['line']}: {e['msgid']!r}" for e in entries if "fuzzy" in e["flags"]]
    assert not fuzzy, "fuzzy entries:\n" + "\n".join(fuzzy)

    untranslated = []
    for e in messages:
        forms = 2 if "msgid_plural" in e else 1
        if len(e["msgstr"]) < forms or not all(s.strip() for s in e["msgstr"]):
            untranslated.append(f"line {e['line']}: {e['msgid']!r}")
    assert not untranslated, "untranslated entries:\n" + "\n".join(untranslated)


def test_po_translations_keep_their_placeholders():
    wrong = []
    for e in parse_po(PO_PATH):
        if not e["msgid"]:
            continue
        expected = sorted(PLACEHOLDER.findall(e["msgid"]))
        for form in e["msgstr"]:
            if sorted(PLACEHOLDER.findall(form)) != expected:
                wrong.append(f"line {e['line']}: {e['msgid']!r} → {form!r}")
    assert not wrong, "placeholders differ:\n" + "\n".join(wrong)


def test_mo_is_compiled_from_the_current_po():
    """Run compilemessages after editing django.po and commit the .mo."""
    with MO_PATH.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = []
    for e in parse_po(PO_PATH):
        if not e["msgid"]:
            continue
        context = e.get("msgctxt")
        if "msgid_plural" in e:
            if context is None:
                got = [catalogue.ngettext(e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
            else:
                got = [catalogue.npgettext(context, e["msgid"], e["msgid_plural"], n) for n in (1, 2)]
        else:
            got = [catalogue.gettext(e["msgid"]) if context is None else catalogue.pgettext(context, e["msgid"])]
        if got != e["msgstr"]:
            stale.append(f"line {e['line']}: {e['msgid']!r}")
    assert not stale, "django.mo is out of date for:\n" + "\n".join(stale)


def test_makemessages_finds_no_string_missing_from_the_catalogue(tmp_path, settings):
    """Extract every translatable string of the code (makemessages, in a copy of the source
    tree so the committed catalogue is left alone): nothing may come out untranslated or
    fuzzy, and the result compiles. A new {% translate %} or gettext() without an English
    translation fails here; fix it with `manage.py makemessages -l en --no-obsolete
    --ignore=.venv`, translate the new entries, then `manage.py compilemessages`."""
    import shutil
    import subprocess
    import sys

    from conftest import require_service

    require_service(bool(shutil.which("xgettext") and shutil.which("msgfmt")), "gettext tools (xgettext, msgfmt)")
    base = Path(settings.BASE_DIR)
    app_catalogues = [p for p in base.glob("*/locale") if p.parent.name not in {".venv", "var"}]
    assert not app_catalogues, f"one catalogue only (locale/): move {app_catalogues} into it"
    copy = tmp_path / "src"
    skip = shutil.ignore_patterns(".venv", "var", "staticfiles", ".git", "__pycache__", "*.sqlite3", "node_modules")
    shutil.copytree(base, copy, ignore=skip)
    env = {"PATH": "/usr/bin:/bin", "SKOLHUBB_VAR_DIR": str(tmp_path / "var"), "HOME": str(tmp_path)}
    for command in (["makemessages", "-l", "en", "--no-obsolete"], ["compilemessages", "-l", "en"]):
        result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", *command], cwd=copy, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr
    po = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    missing = [
        f"{e['msgid']!r}"
        for e in parse_po(po)
        if e["msgid"] and ("fuzzy" in e["flags"] or not all(s.strip() for s in e["msgstr"]))
    ]
    assert not missing, "strings without an English translation:\n" + "\n".join(missing)


def test_no_msgid_is_translated_two_ways_and_swedish_ui_words_are_translated_once():
    """One catalogue: every msgid once (a second catalogue under an app would let the same
    Swedish text mean two things in English)."""
    seen: dict[tuple, str] = {}
    twice = []
    for e in parse_po(PO_PATH):
        key = (e.get("msgctxt"), e["msgid"])
        if e["msgid"] and key in seen:
            twice.append(e["msgid"])
        seen[key] = e["msgstr"][0] if e["msgstr"] else ""
    assert not twice
    assert seen[(None, "Omsorgstider")] == "Care hours" and seen[(None, "Schema")] == "Timetable"
