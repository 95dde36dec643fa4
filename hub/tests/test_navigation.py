"""The main menu is assembled from every app's menu.py and follows the person's roles."""

import pytest
from django.urls import reverse

from config.navigation import all_entries


def _menu(client_for, role):
    response = client_for(role).get(reverse("hub:dashboard"))
    assert response.status_code == 200
    return {link.key: link for link in response.context["main_menu"]}


@pytest.mark.django_db
def test_guardian_sees_family_entries_and_no_staff_or_admin_entry(client_for):
    menu = _menu(client_for, "guardian")
    assert {"hub", "news", "calendar", "absence", "schedules", "timetable", "account"} <= set(menu)
    assert "admin" not in menu
    assert menu["hub"].current


@pytest.mark.django_db
def test_school_only_family_has_no_care_entry(client_for):
    # Bo's only child is in 3B without fritids: no care schedule to register.
    assert "schedules" not in _menu(client_for, "other_guardian")


@pytest.mark.django_db
def test_admin_gets_the_admin_link_and_teacher_does_not(client_for):
    assert "admin" in _menu(client_for, "admin")
    assert "admin" not in _menu(client_for, "teacher")


@pytest.mark.django_db
def test_current_page_is_marked(client_for):
    response = client_for("guardian").get(reverse("absence:overview"))
    current = [link.key for link in response.context["main_menu"] if link.current]
    assert current == ["absence"]
    assert b'aria-current="page"' in response.content


def test_every_entry_points_to_a_url_and_keys_are_unique():
    keys = [entry.key for entry in all_entries()]
    assert len(keys) == len(set(keys))
    for entry in all_entries():
        reverse(entry.url_name)


# --- Sections of a long menu --------------------------------------------------------------


def _tree(client):
    response = client.get(reverse("hub:dashboard"))
    assert response.status_code == 200
    return response.context["main_menu_tree"], response.content.decode()


def _shape(tree):
    return [(item.key, [link.key for link in item.links]) if item.is_group else item.key for item in tree]


@pytest.mark.django_db
def test_principal_menu_is_grouped_in_sections_the_apps_declare(client_for):
    tree, html = _tree(client_for("principal"))
    assert _shape(tree) == [
        "hub",
        "news",
        "calendar",
        "messaging",
        "portfolio",
        ("franvaro", ["absence-today", "absence-leave"]),
        ("skola", ["timetable", "weekly", "plannings", "assignments", "etest", "assessments"]),
        ("forskola-fritids", ["schedules", "preschool-admin", "afterschool"]),
        ("mer", ["bookings", "contacts", "account"]),
    ]
    assert [item.label for item in tree if item.is_group] == ["Frånvaro", "Skola", "Förskola och fritids", "Mer"]
    # Native disclosures in the labelled navigation, every link still there.
    nav = html.split('<nav class="site-nav" aria-label="Huvudmeny">', 1)[1].split("</nav>", 1)[0]
    assert nav.count("<details>") == 4 and "<summary>Skola</summary>" in nav
    assert nav.count("<a href=") == 19


@pytest.mark.django_db
def test_a_section_with_one_link_is_that_link_and_a_short_menu_is_flat(client_for):
    # Anna: "Frånvaro" is her only absence entry, so it is a plain link, not a section.
    tree, _html = _tree(client_for("guardian"))
    shape = _shape(tree)
    assert "absence" in shape and not any(isinstance(i, tuple) and i[0] == "franvaro" for i in shape)
    assert ("skola", ["timetable", "weekly", "plannings", "assignments", "assessments"]) in shape


def test_menu_tree_rules():
    from config.navigation import MENU_FLAT_MAX, SECTION_MORE, SECTION_SCHOOL, MenuLink, menu_tree

    def link(key, order, section=None, current=False):
        return MenuLink(key=key, label=key, url=f"/{key}/", current=current, order=order, section=section)

    short = [link(f"e{i}", i, SECTION_SCHOOL) for i in range(MENU_FLAT_MAX)]
    assert menu_tree(short) == short  # short: flat, sections or not
    long = [
        link("hub", 0),
        link("timetable", 35, SECTION_SCHOOL),
        link("weekly", 51, SECTION_SCHOOL, current=True),
        link("messages", 50),
        link("account", 900, SECTION_MORE),
        *[link(f"plain{i}", 60 + i) for i in range(MENU_FLAT_MAX)],
    ]
    tree = menu_tree(long)
    assert _shape(tree) == [
        "hub",
        "messages",
        *[f"plain{i}" for i in range(MENU_FLAT_MAX)],
        ("skola", ["timetable", "weekly"]),
        "account",  # alone in its section
    ]
    school = next(item for item in tree if item.is_group)
    assert school.current and school.label == "Skola"


def test_every_section_is_declared_on_the_entry_in_its_app():
    from config.navigation import MenuSection

    sections = {entry.key: entry.section for entry in all_entries()}
    assert all(section is None or isinstance(section, MenuSection) for section in sections.values())
    assert sections["weekly"].key == "skola" and sections["absence-today"].key == "franvaro"
    assert sections["hub"] is None and sections["messaging"] is None


@pytest.mark.django_db
def test_only_one_entry_is_the_current_page(client_for):
    # The contact list is in the accounts namespace that "Mitt konto" claims: the entry that
    # names the page wins.
    response = client_for("guardian").get(reverse("accounts:contact-list"))
    assert [link.key for link in response.context["main_menu"] if link.current] == ["contacts"]
    assert response.content.decode().count('aria-current="page"') == 1


@pytest.mark.django_db
def test_the_menu_as_shown_is_worked_out_once_per_menu_and_language(client_for, monkeypatch):
    """The tree and the signature the frame is keyed by come from config.navigation._shown,
    once per menu and language (by the menu's identity: hashing the links translated their
    sections' labels on every page); another language gives its own."""
    from django.conf import settings
    from django.utils.translation import get_language

    from config import navigation

    worked_out = []
    real = navigation.menu_tree
    monkeypatch.setattr(navigation, "menu_tree", lambda links: worked_out.append(get_language()) or real(links))
    monkeypatch.setattr(navigation, "_SHOWN", {})
    carin = client_for("guardian")
    pages = [carin.get(reverse(name)) for name in ("hub:dashboard", "hub:dashboard", "hub:news-list")]
    assert all(page.status_code == 200 for page in pages)
    assert worked_out.count("sv") == 2, worked_out  # the Hub's menu once, the news list's once

    links = next(iter(navigation._SHOWN.values()))[0]
    tree, signature = navigation._shown(links, "sv")
    assert signature == navigation.menu_signature(tree) and list(tree) == real(links)

    carin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = carin.get(reverse("hub:dashboard")).content.decode()
    assert "en" in worked_out
    assert 'lang="en"' in english
