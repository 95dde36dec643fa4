"""Leave applications: the other guardian's consent first, the mentor's limit, the
principal's decision, e-mail, and approved leave becoming absence 'ledig'."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from absence import services
from absence.calendar import next_school_day
from absence.models import AbsenceReport, LeaveApplication
from accounts.models import User
from roster.models import Guardianship

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_guardian(demo, school_day):
    user = User.objects.create_user("erik.andersson@example.se", "x", first_name="Erik")
    Guardianship.objects.create(guardian=user, child=demo["elias"], start_date=demo["elias"].date_of_birth)
    client = Client()
    client.force_login(user)
    return user, client


def _apply(client, child, start, end, reason="Resa till mormor"):
    return client.post(
        reverse("absence:leave-create"),
        {"child": child.pk, "start_date": start.isoformat(), "end_date": end.isoformat(), "reason": reason},
    )


def test_two_guardians_consent_then_principal_approves(
    school_day, client_for, demo, second_guardian, django_capture_on_commit_callbacks
):
    erik, erik_client = second_guardian
    norrskolan = demo["norrskolan"]
    start = next_school_day(school_day + timedelta(days=7), unit=norrskolan)
    end = next_school_day(next_school_day(start, unit=norrskolan), unit=norrskolan)  # three: beyond the mentor's limit
    anna = client_for("guardian")
    with django_capture_on_commit_callbacks(execute=True):
        response = _apply(anna, demo["elias"], start, end)
    assert response.status_code == 302
    application = LeaveApplication.objects.get(child=demo["elias"])
    assert application.state == LeaveApplication.State.AWAITING_CONSENT
    assert [m.to for m in mail.outbox] == [["erik.andersson@example.se"]]
    # The principal does not see it yet, and cannot decide it.
    principal = client_for("principal")
    assert application not in principal.get(reverse("absence:leave-list")).context["to_decide"]
    decide = reverse("absence:leave-decide", args=[application.pk])
    assert principal.post(decide, {"approve": "1"}).status_code == 404
    assert principal.get(reverse("absence:leave-detail", args=[application.pk])).status_code == 404
    # Anna cannot consent to her own application (no consent form; the service refuses).
    consent = reverse("absence:leave-consent", args=[application.pk])
    assert anna.post(consent, {"agree": "1"}).status_code == 403
    assert client_for("other_guardian").post(consent, {"agree": "1"}).status_code == 404
    assert erik_client.get(consent).status_code == 405
    assert erik_client.post(consent, {}).status_code == 200  # no answer chosen: form error
    application.refresh_from_db()
    assert application.state == LeaveApplication.State.AWAITING_CONSENT
    assert erik_client.post(consent, {"agree": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.state == LeaveApplication.State.PENDING
    # Three school days: the mentor may not decide, the principal may.
    assert client_for("teacher").post(decide, {"approve": "1"}).status_code == 403
    assert application in principal.get(reverse("absence:leave-list")).context["to_decide"]
    assert principal.post(decide, {"approve": "0"}).status_code == 200  # rejecting needs a reason
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert principal.post(decide, {"approve": "1", "comment": "Trevlig resa"}).status_code == 302
    application.refresh_from_db()
    assert application.state == LeaveApplication.State.APPROVED
    report = AbsenceReport.objects.get(leave=application)
    assert (report.reason, report.start_date, report.end_date) == ("ledig", start, end)
    assert sorted(to for m in mail.outbox for to in m.to) == ["anna.andersson@example.se", "erik.andersson@example.se"]
    assert "Beviljad" in mail.outbox[0].subject


def test_other_guardian_says_no(school_day, client_for, demo, second_guardian):
    _erik, erik_client = second_guardian
    start = next_school_day(school_day)
    _apply(client_for("guardian"), demo["elias"], start, start)
    application = LeaveApplication.objects.get(child=demo["elias"])
    erik_client.post(reverse("absence:leave-consent", args=[application.pk]), {"agree": "0"})
    application.refresh_from_db()
    assert application.state == LeaveApplication.State.WITHDRAWN


def test_mentor_decides_short_leave_of_a_single_guardian_child(school_day, client_for, demo):
    start = next_school_day(school_day)
    end = next_school_day(start)
    response = _apply(client_for("guardian"), demo["elias"], start, end)
    assert response.status_code == 302
    application = LeaveApplication.objects.get(child=demo["elias"])
    assert application.state == LeaveApplication.State.PENDING  # Anna is Elias's only guardian
    assert application.school_days == 2
    decide = reverse("absence:leave-decide", args=[application.pk])
    assert client_for("other_staff").post(decide, {"approve": "1"}).status_code == 404
    assert client_for("guardian").post(decide, {"approve": "1"}).status_code == 403
    assert client_for("teacher").post(decide, {"approve": "0", "comment": "Nationella prov"}).status_code == 302
    application.refresh_from_db()
    assert application.state == LeaveApplication.State.REJECTED
    assert not AbsenceReport.objects.filter(child=demo["elias"]).exists()


def test_past_overlapping_and_bad_input_refused(school_day, client_for, demo):
    anna = client_for("guardian")
    yesterday = school_day - timedelta(days=1)
    response = _apply(anna, demo["elias"], yesterday, school_day)
    assert "redan har varit" in response.content.decode()
    start = next_school_day(school_day)
    assert _apply(anna, demo["elias"], start, start - timedelta(days=1)).status_code == 200
    assert _apply(anna, demo["elias"], start, start, reason="").status_code == 200
    assert not LeaveApplication.objects.filter(child=demo["elias"]).exists()
    assert _apply(anna, demo["elias"], start, next_school_day(start)).status_code == 302
    overlap = _apply(anna, demo["elias"], next_school_day(start), next_school_day(next_school_day(start)))
    assert "redan en ansökan" in overlap.content.decode()
    assert LeaveApplication.objects.filter(child=demo["elias"]).count() == 1
    # Alva is in preschool: no leave applications there.
    assert _apply(anna, demo["alva"], start, start).status_code == 200
    assert client_for("student").post(reverse("absence:leave-create"), {}).status_code == 403
    assert client_for("guardian").put(reverse("absence:leave-create")).status_code == 405


def test_ledig_report_only_with_approved_leave(school_day, personas, demo):
    start = next_school_day(school_day)
    application = services.leave_apply(
        child=demo["elias"], applied_by=personas["guardian"], start_date=start, end_date=start, reason="Resa"
    )
    services.leave_decide(application=application, by=personas["principal"], approve=True)
    report = AbsenceReport.objects.get(leave=application)
    assert report.reason == "ledig"


def test_leave_over_jullov_counts_one_school_day_and_goes_to_the_mentor(school_day, client_for, demo):
    """19 Dec–6 Jan: the school-day calendar counts Monday 21 Dec only (not 8 weekdays), so
    the mentor (limit 2 school days) decides, not the principal."""
    from datetime import date

    response = _apply(client_for("guardian"), demo["elias"], date(2026, 12, 19), date(2027, 1, 6))
    assert response.status_code == 302
    application = LeaveApplication.objects.get(child=demo["elias"])
    assert application.school_days == 1
    teacher = client_for("teacher")
    assert application in teacher.get(reverse("absence:leave-list")).context["to_decide"]
    assert teacher.post(reverse("absence:leave-decide", args=[application.pk]), {"approve": "1"}).status_code == 302
    application.refresh_from_db()
    assert application.state == LeaveApplication.State.APPROVED


def test_leave_longer_than_the_limit_is_refused_naming_it(school_day, client_for, demo, settings):
    settings.SKOLHUBB_LEAVE_MAX_DAYS = 5
    start = next_school_day(school_day + timedelta(days=7))
    response = _apply(client_for("guardian"), demo["elias"], start, start + timedelta(days=13))
    assert response.status_code == 200
    assert "högst 5 skoldagar" in response.content.decode()
    assert not LeaveApplication.objects.exists()


def test_principal_sees_class_term_absence_and_the_periods_events(school_day, client_for, demo):
    """The decision page: the class, the pupil's absence so far this term, and any national
    test or event in the period. Families do not see the school's basis."""
    from hub.models import Event

    start = next_school_day(school_day + timedelta(days=7))
    end = start + timedelta(days=7)
    Event.objects.create(
        title="Nationellt prov i matematik",
        event_type="nationellt_prov",
        unit=demo["norrskolan"],
        group=demo["3b"],
        start_date=start + timedelta(days=1),
        end_date=start + timedelta(days=1),
    )
    application = LeaveApplication.objects.create(
        child=demo["elias"], start_date=start, end_date=end, reason="Resa", state="inskickad", school_days=5
    )
    url = reverse("absence:leave-detail", args=[application.pk])
    html = client_for("principal").get(url).content.decode()
    assert "Underlag för beslut" in html and "3B" in html and "Frånvaro denna termin" in html
    assert "Nationellt prov i matematik" in html
    assert "Underlag för beslut" not in client_for("guardian").get(url).content.decode()
