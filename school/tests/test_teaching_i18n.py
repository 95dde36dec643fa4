"""The teaching pages in English after switching language (school/locale/en)."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reset_language():
    yield
    translation.deactivate()


def test_weekly_plan_and_etest_in_english(client_for):
    student = client_for("student")
    student.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert student.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = student.get(reverse("school:weekly")).content.decode()
    assert "Weekly plan" in html and "Bring:" in html and "Ta med:" not in html
    html = student.get(reverse("hub:dashboard")).content.decode()
    assert "Plannings" in html and "Assignments" in html and "Open now, until" in html
