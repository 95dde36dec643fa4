"""The Frånvaro overview is served from the person's page cache (hub.cache.viewer_page) under
the generations the Hub's Frånvaro box uses: every change shows on the next load."""

import re
from datetime import timedelta

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.urls import reverse
from django.utils import timezone

from absence import services
from absence.models import AbsenceReport

pytestmark = pytest.mark.django_db


def _main(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_reports_and_leave_show_on_the_next_load(client_for, demo, personas):
    anna = client_for("guardian")
    url = reverse("absence:overview")
    first = _main(anna.get(url))
    assert first == _main(anna.get(url)), "the second load is the cached page"
    tomorrow = timezone.localdate() + timedelta(days=1)
    services.absence_report_create(
        children=[demo["elias"]],
        reported_by=personas["guardian"],
        start_date=tomorrow,
        end_date=tomorrow,
        reason="sjuk",
    )
    html = _main(anna.get(url))
    assert html != first and "Sjuk" in html

    in_a_month = timezone.localdate() + timedelta(days=14)  # a school week in December
    services.leave_apply(
        child=demo["elias"],
        applied_by=personas["guardian"],
        start_date=in_a_month,
        end_date=in_a_month + timedelta(days=2),
        reason="Resa till mormor",
    )
    with_leave = _main(anna.get(url))
    assert with_leave != html

    report = AbsenceReport.objects.get(child=demo["elias"], start_date=tomorrow)
    LogEntry.objects.log_actions(user_id=personas["admin"].pk, queryset=[report], action_flag=DELETION)
    report.delete()  # as the admin's delete view: logged, then deleted
    assert _main(anna.get(url)) != with_leave, "a report deleted in the admin is gone"
