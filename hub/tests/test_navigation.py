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
