"""Dates from users are bounded (roster.dates.DATE_MIN–DATE_MAX, 1990–2100): every URL the
project resolves, walked with 0001-01-01 and 9999-12-31 in its path and in every date-like
query parameter, answers 404 or the page (never 500); every form with a date answers a form
error. The URLs come from the access matrix, so a new URL is walked here too."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.test_access_matrix import MATRIX, url_builders  # noqa: F401 - the fixture is used by name

EXTREMES = ["0001-01-01", "9999-12-31"]
# Query parameters that carry a date, a week or a month somewhere on the site, in each format.
DATE_PARAMS = ["datum", "vecka", "manad", "fran", "till", "dag"]


def _variants(value: str) -> list[str]:
    """The day, its ISO week and its month: the three formats the site's parameters use."""
    year, month = value[:4], value[5:7]
    week = "W01" if month == "01" else "W52"
    return [value, f"{year}-{week}", f"{year}-{month}"]


# The superuser reaches every page (as staff); the guardian reaches the family side of them.
WALKERS = ["guardian", "admin"]


@pytest.mark.parametrize("name", sorted(n for n in MATRIX if not n.startswith("admin")))
def test_extreme_dates_never_give_500(name, client_for, url_builders):  # noqa: F811
    target, _expected = MATRIX[name]
    url = url_builders.get(target) or reverse(target)
    today = timezone.localdate().isoformat()
    urls = []
    for extreme in EXTREMES:
        base = url.replace(today, extreme) if today in url else url
        for variant in _variants(extreme):
            urls.append(base + "?" + "&".join(f"{p}={variant}" for p in DATE_PARAMS))
    failures = []
    for role in WALKERS:
        client = client_for(role)
        for candidate in urls:
            response = client.get(candidate)
            if response.streaming:
                b"".join(response.streaming_content)
            if response.status_code >= 500:
                failures.append(f"{role} GET {candidate}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_a_date_in_the_path_outside_the_window_is_404(client_for, url_builders):  # noqa: F811
    url = url_builders["3b_lesson_attendance"]
    today = timezone.localdate().isoformat()
    teacher = client_for("teacher")
    for extreme in EXTREMES:
        assert teacher.get(url.replace(today, extreme)).status_code == 404
    assert client_for("guardian").get(reverse("hub:calendar") + "?manad=9999-12").status_code == 404
    assert client_for("guardian").get(reverse("school:timetable") + "?vecka=0001-01-01").status_code == 404


@pytest.mark.parametrize("extreme", EXTREMES)
def test_forms_answer_a_form_error_for_dates_outside_the_window(extreme, client_for, demo):
    alva, elias = demo["alva"], demo["elias"]
    posts = {
        "guardian": [
            (
                reverse("absence:report-create"),
                {"children": [elias.pk], "reason": "sjuk", "when": "period", "part": "heldag", "start_date": extreme},
            ),
            (
                reverse("absence:report-create"),
                {
                    "children": [elias.pk],
                    "reason": "sjuk",
                    "when": "period",
                    "part": "heldag",
                    "start_date": timezone.localdate().isoformat(),
                    "end_date": extreme,
                },
            ),
            (
                reverse("absence:leave-create"),
                {"child": elias.pk, "start_date": extreme, "end_date": extreme, "reason": "Resa"},
            ),
            (
                reverse("schedules:days-edit", args=[alva.pk]),
                {"start_date": extreme, "kind": "times", "start_time": "08:00", "end_time": "15:00"},
            ),
            (reverse("schedules:base-edit", args=[alva.pk]), {"start_date": extreme}),
        ],
        "principal": [
            (reverse("schedules:closed-days", args=[demo["fritids"].pk]), {"date": extreme, "reason": "studiedag"}),
        ],
        "other_staff": [
            (
                reverse("hub:event-create"),
                {
                    "title": "Utflykt",
                    "event_type": "utflykt",
                    "audience": f"unit:{demo['solrosen'].pk}",
                    "start_date": extreme,
                    "end_date": extreme,
                    "all_day": "on",
                },
            ),
            (
                reverse("hub:news-create"),
                {
                    "title": "Nyhet",
                    "audience": f"unit:{demo['solrosen'].pk}",
                    "publish_at": f"{extreme}T08:00",
                },
            ),
        ],
    }
    for role, forms in posts.items():
        client = client_for(role)
        for url, data in forms:
            response = client.post(url, data)
            assert response.status_code == 200, (role, url, data, response.status_code)
            assert "1990" in response.content.decode() or "Ange" in response.content.decode(), (url, data)
