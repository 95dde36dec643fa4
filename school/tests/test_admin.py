"""The timetable and absence records are editable in the admin."""

from datetime import time

import pytest
from django.urls import reverse

from school.models import Lesson, Subject

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    [
        "school_subject",
        "school_lesson",
        "absence_absencereport",
        "absence_lessonattendance",
        "absence_leaveapplication",
        "absence_samedaynotice",
    ],
)
def test_admin_lists_and_add_forms(model, client_for):
    admin = client_for("admin")
    assert admin.get(reverse(f"admin:{model}_changelist")).status_code == 200
    assert admin.get(reverse(f"admin:{model}_add")).status_code == 200


def test_admin_adds_a_lesson_and_refuses_a_backwards_one(client_for, demo, personas):
    admin = client_for("admin")
    subject = Subject.objects.get(name="Matematik")
    data = {
        "group": demo["3b"].pk,
        "subject": subject.pk,
        "teacher": personas["teacher"].pk,
        "weekday": 2,
        "start_time": "14:10",
        "end_time": "15:00",
        "room": "B2",
    }
    response = admin.post(reverse("admin:school_lesson_add"), data)
    assert response.status_code == 302
    assert Lesson.objects.filter(group=demo["3b"], weekday=2, start_time=time(14, 10)).exists()
    response = admin.post(reverse("admin:school_lesson_add"), data | {"start_time": "16:00", "end_time": "15:00"})
    assert response.status_code == 200
    assert "Lektionen måste sluta efter att den börjar." in response.content.decode()
