"""Today's absence is served from the person's page cache: every change that affects it shows
on the next load (a report through the service, a report in the admin, a child's placement),
and the per-request parts (the frame's CSRF token) are never cached."""

from datetime import timedelta

import pytest
from django.urls import reverse

from absence import services
from absence.models import AbsenceReport
from roster.models import Child, Placement

pytestmark = pytest.mark.django_db

URL = reverse("absence:today")


def _main(response) -> str:
    return response.content.decode().split('<main id="main"')[1].split("</main>")[0]


def _csrf(response) -> str:
    return response.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]


def test_warm_page_is_served_from_the_cache_with_this_requests_token(school_day, client_for):
    teacher = client_for("teacher")
    first = teacher.get(URL)
    # Written behind the services' back (no bump): the cached page does not know of it.
    elias = Child.objects.get(given_name="Elias", family_name="Andersson")
    AbsenceReport.objects.create(child=elias, start_date=school_day, end_date=school_day, reason="sjuk")
    second = teacher.get(URL)
    assert _main(second) == _main(first) and "Elias Andersson" not in _main(second)
    # The logout form's token is this session's (a cached page must not carry another's).
    assert _csrf(second)
    other = client_for("principal").get(URL)
    assert _csrf(other) != _csrf(second)


def test_a_report_through_the_service_shows_at_once(school_day, client_for, personas, demo):
    teacher = client_for("teacher")
    assert "Elias Andersson" not in _main(teacher.get(URL))
    services.absence_report_create(
        children=[demo["elias"]],
        reported_by=personas["guardian"],
        start_date=school_day,
        end_date=school_day,
        reason="sjuk",
    )
    page = _main(teacher.get(URL))
    assert "Elias Andersson" in page and "1 anmäld frånvarande" in page
    # Friskanmäld from today: gone again.
    report = AbsenceReport.objects.get(child=demo["elias"])
    services.absence_report_end(report=report, ended_by=personas["guardian"], back_on=school_day)
    assert "Elias Andersson" not in _main(teacher.get(URL))


def test_a_report_made_in_the_admin_shows_at_once(school_day, client_for, personas, demo):
    teacher = client_for("teacher")
    assert "Elias Andersson" not in _main(teacher.get(URL))
    response = client_for("admin").post(
        reverse("admin:absence_absencereport_add"),
        {
            "child": demo["elias"].pk,
            "start_date": school_day.isoformat(),
            "end_date": school_day.isoformat(),
            "reason": "sjuk",
            "comment": "",
            "reported_by": personas["guardian"].pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert "Elias Andersson" in _main(teacher.get(URL))


def test_a_placement_shows_at_once(school_day, client_for, demo):
    """A child reported sick (by a family at another unit) is placed in 3B: the teacher sees it."""
    principal = client_for("principal")
    newcomer = Child.objects.create(
        given_name="Nyan", family_name="Ankomling", personnummer="201505052383", date_of_birth=school_day
    )
    AbsenceReport.objects.create(child=newcomer, start_date=school_day, end_date=school_day, reason="sjuk")
    assert "Nyan Ankomling" not in _main(principal.get(URL))
    Placement.objects.create(
        child=newcomer, unit=demo["norrskolan"], group=demo["3b"], start_date=school_day - timedelta(days=1)
    )
    assert "Nyan Ankomling" in _main(principal.get(URL))
