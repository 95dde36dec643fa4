"""Access matrix rows of absence: objects belong to Anna's son Elias (3B, Norrskolan); Bo's family gets 404."""

from django.urls import reverse
from django.utils import timezone

from tests.matrix import LOGIN, logged_in, row

MATRIX = {
    # A student is sent to their own history ("Min frånvaro").
    "absence:overview": ("absence:overview", row(LOGIN, 200, 200, 302, 200, 200, 200, 200)),
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
    "absence:unit-stats-csv": ("norrskolan_stats_csv", row(LOGIN, 404, 404, 404, 403, 404, 200, 200)),
}


def url_builders(demo) -> dict[str, str]:
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
    return {
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
        "norrskolan_stats_csv": reverse("absence:unit-stats-csv", args=[demo["norrskolan"].pk]),
    }
