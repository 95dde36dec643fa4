"""The access matrix: every URL the project resolves × every role, with the expected answer.

A URL that is not in MATRIX fails `test_every_url_is_in_the_matrix` with the line to add.
Object URLs are tried with objects of the Solrosens förskola family (Alva's group Solen):
another family (Bo, in 3B), the student, and staff at Norrskolan must get 404.
Roles: anonymous, guardian (Anna), other_guardian (Bo), student (Elias), teacher (3B),
other_staff (pedagog at Solrosen – the unit that owns the objects, so "other" to 3B),
principal (Norrskolan), admin (superuser).
"""

import base64

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from conftest import ROLES
from tests.urlwalk import all_url_names

R = "redirect"  # 302 to the login page (anonymous) or elsewhere, see expected_redirect
LOGIN = "login"  # 302 to the login page


def row(anonymous, guardian, other_guardian, student, teacher, other_staff, principal, admin):
    return dict(
        zip(ROLES, [anonymous, guardian, other_guardian, student, teacher, other_staff, principal, admin], strict=True)
    )


def everyone(code):
    return row(*([code] * 8))


def logged_in(code):
    return row(LOGIN, *([code] * 7))


# url name → (how to build the URL, expected answer per role)
MATRIX = {
    "robots-txt": ("robots-txt", everyone(200)),
    "set_language": ("set_language", everyone(302)),
    # allauth: entrance pages are public; signup is closed (a page saying so).
    "account_login": ("account_login", row(200, 302, 302, 302, 302, 302, 302, 302)),
    "account_logout": ("account_logout", row(302, 200, 200, 200, 200, 200, 200, 200)),
    "account_signup": ("account_signup", row(200, 302, 302, 302, 302, 302, 302, 302)),
    "account_inactive": ("account_inactive", everyone(200)),
    "account_reauthenticate": ("account_reauthenticate", logged_in(200)),
    "account_email": ("account_email", logged_in(302)),
    "account_email_verification_sent": ("account_email_verification_sent", everyone(200)),
    "account_confirm_email": ("confirm_email_key", everyone(200)),
    "account_confirm_login_code": ("account_confirm_login_code", row(302, 302, 302, 302, 302, 302, 302, 302)),
    "account_change_password": ("account_change_password", logged_in(200)),
    "account_set_password": ("account_set_password", logged_in(302)),
    "account_reset_password": ("account_reset_password", everyone(200)),
    "account_reset_password_done": ("account_reset_password_done", everyone(200)),
    "account_reset_password_from_key": ("reset_key", everyone(200)),
    "account_reset_password_from_key_done": ("account_reset_password_from_key_done", everyone(200)),
    # accounts
    "accounts:activate": ("activation_bad_token", everyone(400)),
    "accounts:contact": ("accounts:contact", logged_in(200)),
    "accounts:eid-start": ("accounts:eid-start", everyone(302)),  # off to the e-ID provider
    "accounts:eid-callback": ("accounts:eid-callback", everyone(400)),  # no state: refused
    "accounts:security": ("accounts:security", row(LOGIN, 302, 302, 302, 302, 302, 302, 302)),  # needs e-ID
    "accounts:devices": ("accounts:devices", logged_in(200)),
    "accounts:pairing-code": ("accounts:pairing-code", logged_in(405)),
    "accounts:device-remove": ("anna_device_remove", logged_in(405)),
    # the installable web app (no personal data)
    "pwa-manifest": ("pwa-manifest", everyone(200)),
    "pwa-service-worker": ("pwa-service-worker", everyone(200)),
    # the development e-ID provider (never mounted in production)
    "dev-eid:discovery": ("dev-eid:discovery", everyone(200)),
    "dev-eid:jwks": ("dev-eid:jwks", everyone(200)),
    "dev-eid:authorize": ("dev-eid:authorize", everyone(400)),
    "dev-eid:token": ("dev-eid:token", everyone(405)),
    "dev-eid:logout": ("dev-eid:logout", everyone(200)),
    # hub
    "hub:dashboard": ("hub:dashboard", logged_in(200)),
    "hub:news-list": ("hub:news-list", logged_in(200)),
    "hub:news-create": ("hub:news-create", row(LOGIN, 403, 403, 403, 200, 200, 200, 200)),
    "hub:news-detail": ("solen_news_detail", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "hub:news-edit": ("solen_news_edit", row(LOGIN, 403, 404, 404, 404, 200, 404, 200)),
    "hub:news-delete": ("solen_news_delete", row(LOGIN, 403, 404, 404, 404, 200, 404, 200)),
    "hub:news-attachment": ("solen_attachment", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "hub:calendar": ("hub:calendar", logged_in(200)),
    "hub:event-create": ("hub:event-create", row(LOGIN, 403, 403, 403, 200, 200, 200, 200)),
    "hub:event-detail": ("solrosen_event_detail", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "hub:event-edit": ("solrosen_event_edit", row(LOGIN, 403, 404, 404, 404, 200, 404, 200)),
    "hub:event-delete": ("solrosen_event_delete", row(LOGIN, 403, 404, 404, 404, 200, 404, 200)),
    # schedules: Alva's schedule (Solrosen, Solen) and the Solrosen unit pages.
    "schedules:overview": ("schedules:overview", logged_in(200)),
    "schedules:child-week": ("alva_schedule", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "schedules:base-edit": ("alva_base_edit", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "schedules:days-edit": ("alva_days_edit", row(LOGIN, 200, 404, 404, 404, 200, 404, 200)),
    "schedules:comment-create": ("alva_comment", row(LOGIN, 405, 405, 405, 405, 405, 405, 405)),
    "schedules:unit-day": ("solrosen_day", row(LOGIN, 404, 404, 404, 404, 200, 404, 200)),
    "schedules:unit-planning": ("solrosen_planning", row(LOGIN, 404, 404, 404, 404, 200, 404, 200)),
    "schedules:checkin": ("solrosen_checkin", row(LOGIN, 404, 404, 404, 404, 200, 404, 200)),
    "schedules:closed-days": ("solrosen_closed_days", row(LOGIN, 404, 404, 404, 404, 200, 404, 200)),
    # absence: objects belong to Anna's son Elias (3B, Norrskolan); Bo's family gets 404.
    "absence:overview": ("absence:overview", logged_in(200)),
    "absence:report-create": ("absence:report-create", row(LOGIN, 200, 200, 403, 403, 403, 403, 403)),
    "absence:quick-sick": ("elias_quick_sick", row(LOGIN, 200, 404, 403, 403, 404, 403, 403)),
    "absence:child-history": ("elias_absence_history", row(LOGIN, 200, 404, 200, 200, 404, 200, 200)),
    "absence:report-edit": ("elias_report_edit", row(LOGIN, 200, 404, 403, 403, 404, 403, 403)),
    "absence:report-end": ("elias_report_end", row(LOGIN, 200, 404, 403, 403, 404, 403, 403)),
    "absence:report-extend": ("elias_report_extend", row(LOGIN, 200, 404, 403, 403, 404, 403, 403)),
    "absence:leave-list": ("absence:leave-list", logged_in(200)),
    "absence:leave-create": ("absence:leave-create", row(LOGIN, 200, 200, 403, 403, 403, 403, 403)),
    "absence:leave-detail": ("elias_leave_detail", row(LOGIN, 200, 404, 200, 200, 404, 200, 200)),
    "absence:leave-consent": ("elias_leave_consent", row(LOGIN, 405, 405, 405, 405, 405, 405, 405)),
    "absence:leave-decide": ("elias_leave_decide", row(LOGIN, 405, 405, 405, 405, 405, 405, 405)),
    "absence:today": ("absence:today", row(LOGIN, 403, 403, 403, 200, 200, 200, 200)),
    "absence:lesson-attendance": ("3b_lesson_attendance", row(LOGIN, 404, 404, 404, 200, 404, 200, 200)),
    "absence:group-stats": ("3b_stats", row(LOGIN, 404, 404, 404, 200, 404, 200, 200)),
    "absence:group-stats-csv": ("3b_stats_csv", row(LOGIN, 404, 404, 404, 200, 404, 200, 200)),
    "absence:unit-stats": ("norrskolan_stats", row(LOGIN, 404, 404, 404, 403, 404, 200, 200)),
    # school
    "school:timetable": ("school:timetable", logged_in(200)),
    "school:child-timetable": ("elias_timetable", row(LOGIN, 200, 404, 200, 200, 404, 200, 200)),
    # The Django admin: staff only; everyone else is sent to the admin login.
    "admin:*": ("admin_child_change", row(302, 302, 302, 302, 302, 302, 302, 200)),
}


@pytest.fixture
def url_builders(demo, settings, tmp_path, eid_issuer, personas):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    from hub.models import NewsAttachment

    attachment = NewsAttachment(news=demo["solen_news"], name="packlista.pdf", size=8)
    attachment.file.save("packlista.pdf", ContentFile(b"%PDF-1.4"), save=True)
    news, event, alva = demo["solen_news"], demo["solrosen_event"], demo["alva"]
    uid = base64.urlsafe_b64encode(str(alva.pk).encode()).decode().rstrip("=")
    from absence.calendar import next_school_day
    from absence.models import AbsenceReport, LeaveApplication
    from school.models import Lesson

    elias = demo["elias"]
    later = next_school_day(next_school_day(timezone.localdate()))
    report = AbsenceReport.objects.create(child=elias, start_date=later, end_date=later, reason="sjuk")
    leave = LeaveApplication.objects.create(
        child=elias, start_date=later, end_date=later, reason="Resa", state=LeaveApplication.State.PENDING
    )
    lesson = Lesson.objects.filter(group=demo["3b"]).first()
    today = timezone.localdate().isoformat()
    from accounts.models import Device

    device = Device.objects.create(user=personas["guardian"], name="Annas telefon", token_hash="x" * 64)
    return {
        "anna_device_remove": reverse("accounts:device-remove", args=[device.pk]),
        "elias_quick_sick": reverse("absence:quick-sick", args=[elias.pk]),
        "elias_absence_history": reverse("absence:child-history", args=[elias.pk]),
        "elias_report_edit": reverse("absence:report-edit", args=[report.pk]),
        "elias_report_end": reverse("absence:report-end", args=[report.pk]),
        "elias_report_extend": reverse("absence:report-extend", args=[report.pk]),
        "elias_leave_detail": reverse("absence:leave-detail", args=[leave.pk]),
        "elias_leave_consent": reverse("absence:leave-consent", args=[leave.pk]),
        "elias_leave_decide": reverse("absence:leave-decide", args=[leave.pk]),
        "3b_lesson_attendance": reverse("absence:lesson-attendance", args=[lesson.pk, today]),
        "3b_stats": reverse("absence:group-stats", args=[demo["3b"].pk]),
        "3b_stats_csv": reverse("absence:group-stats-csv", args=[demo["3b"].pk]),
        "norrskolan_stats": reverse("absence:unit-stats", args=[demo["norrskolan"].pk]),
        "elias_timetable": reverse("school:child-timetable", args=[elias.pk]),
        "confirm_email_key": reverse("account_confirm_email", kwargs={"key": "not-a-key"}),
        "reset_key": reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "set-password"}),
        "activation_bad_token": reverse("accounts:activate", kwargs={"uidb64": uid, "token": "abc-123"}),
        "solen_news_detail": reverse("hub:news-detail", args=[news.pk]),
        "solen_news_edit": reverse("hub:news-edit", args=[news.pk]),
        "solen_news_delete": reverse("hub:news-delete", args=[news.pk]),
        "solen_attachment": reverse("hub:news-attachment", args=[attachment.pk]),
        "solrosen_event_detail": reverse("hub:event-detail", args=[event.pk]),
        "solrosen_event_edit": reverse("hub:event-edit", args=[event.pk]),
        "solrosen_event_delete": reverse("hub:event-delete", args=[event.pk]),
        "admin_child_change": reverse("admin:roster_child_change", args=[alva.pk]),
        "alva_schedule": reverse("schedules:child-week", args=[alva.pk]),
        "alva_base_edit": reverse("schedules:base-edit", args=[alva.pk]),
        "alva_days_edit": reverse("schedules:days-edit", args=[alva.pk]),
        "alva_comment": reverse("schedules:comment-create", args=[alva.pk]),
        "solrosen_day": reverse("schedules:unit-day", args=[demo["solrosen"].pk]),
        "solrosen_planning": reverse("schedules:unit-planning", args=[demo["solrosen"].pk]),
        "solrosen_checkin": reverse("schedules:checkin", args=[demo["solrosen"].pk]),
        "solrosen_closed_days": reverse("schedules:closed-days", args=[demo["solrosen"].pk]),
    }


def _web_url_names() -> set[str]:
    # The JSON API's routes have their own matrix (api/tests/test_api_matrix.py).
    return {name for name in all_url_names() if not name.startswith("api-v1:")}


def test_every_url_is_in_the_matrix():
    missing = sorted(_web_url_names() - set(MATRIX))
    assert not missing, (
        "These URLs are not in the access matrix (tests/test_access_matrix.py). Add a line per URL, "
        'e.g.  "' + missing[0] + '": ("<url name or builder>", row(anonymous, guardian, other_guardian, '
        "student, teacher, other_staff, principal, admin)),\nMissing: " + ", ".join(missing)
    )
    stale = sorted(set(MATRIX) - _web_url_names())
    assert not stale, f"The matrix lists URLs the project no longer has: {stale}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_access(name, client_for, url_builders):
    target, expected = MATRIX[name]
    url = url_builders.get(target) or reverse(target)
    wrong = []
    for role in ROLES:
        response = client_for(role).get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # read to the end, so the file is closed
        want = expected[role]
        if want == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
        else:
            ok = response.status_code == want
        if not ok:
            wrong.append(f"{role}: expected {want}, got {response.status_code} {response.get('Location', '')}")
    assert not wrong, f"{name} ({url}):\n  " + "\n  ".join(wrong)
