"""Access matrix rows of schedules: Alva's schedule (Solrosen, Solen) and the Solrosen unit pages."""

from django.urls import reverse

from tests.matrix import LOGIN, logged_in, row

MATRIX = {
    "schedules:overview": ("schedules:overview", logged_in(200)),
    "schedules:child-week": ("alva_schedule", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "schedules:base-edit": ("alva_base_edit", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "schedules:days-edit": ("alva_days_edit", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "schedules:comment-create": ("alva_comment", row(LOGIN, 405, 405, 405, 405, 405, 405, 405)),
    "schedules:comments-read": ("alva_comments_read", row(LOGIN, 405, 405, 405, 405, 405, 405, 405)),
    "schedules:unit-comments-read": ("solrosen_comments_read", row(LOGIN, 405, 405, 405, 405, 405, 405, 405)),
    "schedules:unit-day": ("solrosen_day", row(LOGIN, 404, 404, 404, 404, 200, 404, 200)),
    "schedules:unit-planning": ("solrosen_planning", row(LOGIN, 404, 404, 404, 404, 200, 404, 200)),
    "schedules:checkin": ("solrosen_checkin", row(LOGIN, 404, 404, 404, 404, 200, 404, 200)),
    "schedules:closed-days": ("solrosen_closed_days", row(LOGIN, 404, 404, 404, 404, 200, 404, 200)),
}


def url_builders(demo) -> dict[str, str]:
    alva = demo["alva"]
    return {
        "alva_schedule": reverse("schedules:child-week", args=[alva.pk]),
        "alva_base_edit": reverse("schedules:base-edit", args=[alva.pk]),
        "alva_days_edit": reverse("schedules:days-edit", args=[alva.pk]),
        "alva_comment": reverse("schedules:comment-create", args=[alva.pk]),
        "alva_comments_read": reverse("schedules:comments-read", args=[alva.pk]),
        "solrosen_comments_read": reverse("schedules:unit-comments-read", args=[demo["solrosen"].pk]),
        "solrosen_day": reverse("schedules:unit-day", args=[demo["solrosen"].pk]),
        "solrosen_planning": reverse("schedules:unit-planning", args=[demo["solrosen"].pk]),
        "solrosen_checkin": reverse("schedules:checkin", args=[demo["solrosen"].pk]),
        "solrosen_closed_days": reverse("schedules:closed-days", args=[demo["solrosen"].pk]),
    }
