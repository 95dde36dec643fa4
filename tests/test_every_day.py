"""The site works on any day: every page the access matrix knows answers (never 500) when
today is a Saturday, a Sunday or a public holiday in jullov. The suite's own clock is a
Monday, which hid a weekend crash of the preschool planning chart (its week was loaded
Monday–Friday, then asked for the Sunday)."""

from datetime import date, datetime, time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.test_access_matrix import MATRIX, url_builders  # noqa: F401 - the fixture is used by name

DAYS = {
    "lördag": date(2026, 11, 28),
    "söndag": date(2026, 11, 29),
    "juldagen": date(2026, 12, 25),
}
WALKERS = ["guardian", "student", "teacher", "principal", "admin"]
STOCKHOLM = timezone.get_default_timezone()


@pytest.mark.parametrize("label", sorted(DAYS))
def test_every_page_answers_on_a_day_without_school(label, client_for, url_builders):  # noqa: F811
    day = DAYS[label]
    suite_today = timezone.localdate().isoformat()
    urls = []
    for name in sorted(n for n in MATRIX if not n.startswith("admin")):
        target, _expected = MATRIX[name]
        url = url_builders.get(target) or reverse(target)
        urls.append(url.replace(suite_today, day.isoformat()))
    failures = []
    with time_machine.travel(datetime.combine(day, time(7, 30), tzinfo=STOCKHOLM), tick=False):
        for role in WALKERS:
            client = client_for(role)
            for url in urls:
                response = client.get(url)
                if response.streaming:
                    b"".join(response.streaming_content)
                if response.status_code >= 500:
                    failures.append(f"{role} GET {url}: {response.status_code}")
    assert not failures, "\n".join(failures)
