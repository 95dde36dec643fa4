"""Access matrix rows of school."""

from django.urls import reverse

from tests.matrix import LOGIN, logged_in, row

MATRIX = {
    "school:timetable": ("school:timetable", logged_in(200)),
    "school:child-timetable": ("elias_timetable", row(LOGIN, 200, 404, 200, 200, 404, 200, 200)),
}


def url_builders(demo) -> dict[str, str]:
    elias = demo["elias"]
    return {
        "elias_timetable": reverse("school:child-timetable", args=[elias.pk]),
    }
