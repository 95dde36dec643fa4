"""The main menu follows who you are (entries declared in each app's menu.py)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _menu(client):
    response = client.get(reverse("hub:dashboard"))
    return {link.key: link.label for link in response.context["main_menu"]}


def test_student_reads_min_franvaro_and_their_own_page(client_for, demo):
    student = client_for("student")
    menu = _menu(student)
    assert menu["absence"] == "Min frånvaro"
    assert "absence-today" not in menu and "admin" not in menu
    response = student.get(reverse("absence:overview"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("absence:child-history", args=[demo["elias"].pk])
    assert "<h1>Min frånvaro</h1>" in html and "dina barn" not in html.lower()


def test_staff_get_their_timetable_attendance_and_day_lists(client_for):
    teacher = _menu(client_for("teacher"))
    assert teacher["timetable"] == "Mitt schema"
    assert teacher["absence-today"] == "Dagens frånvaro"
    assert teacher["absence-leave"] == "Ledighetsansökningar"
    assert "absence" not in teacher  # no "Frånvaro" page about children they do not have
    preschool = _menu(client_for("other_staff"))
    assert preschool["schedules"] == "Omsorgstider" and "timetable" not in preschool
    assert "absence-leave" not in preschool  # leave applications are a school matter


def test_guardian_sees_no_staff_entries_and_admin_gets_the_admin(client_for):
    guardian = _menu(client_for("guardian"))
    assert guardian["absence"] == "Frånvaro" and guardian["timetable"] == "Schema"
    assert not {"absence-today", "absence-leave", "admin"} & set(guardian)
    assert "admin" in _menu(client_for("admin"))
