from api.testing import Case, authed, row


def _later():
    from django.utils import timezone

    from absence.calendar import next_school_day

    return next_school_day(next_school_day(timezone.localdate()))


def _report_create(ctx):
    day = _later().isoformat()
    return ("/api/v1/absence/reports", {"children": [ctx["elias"].pk], "start_date": day, "end_date": day})


def _report_end(ctx):
    from absence.models import AbsenceReport

    day = _later()
    report = AbsenceReport.objects.create(child=ctx["elias"], start_date=day, end_date=day, reason="sjuk")
    return (f"/api/v1/absence/reports/{report.pk}/end", {"back_on": day.isoformat()})


def _leave_create(ctx):
    day = _later().isoformat()
    return (
        "/api/v1/absence/leave",
        {"child_id": ctx["elias"].pk, "start_date": day, "end_date": day, "reason": "Resa"},
    )


# Objects belong to Elias (Anna's son, 3B Norrskolan): only his guardian may write; those who
# may read him but not write (the student himself, his school's staff, the admin) get 403.
CASES = [
    Case("GET", "/api/v1/absence/reports", lambda ctx: ("/api/v1/absence/reports", None), authed(200)),
    Case("POST", "/api/v1/absence/reports", _report_create, row(401, 201, 404, 403, 403, 404, 403, 403)),
    Case("POST", "/api/v1/absence/reports/{report_id}/end", _report_end, row(401, 200, 404, 403, 403, 404, 403, 403)),
    Case("GET", "/api/v1/absence/leave", lambda ctx: ("/api/v1/absence/leave", None), authed(200)),
    Case("POST", "/api/v1/absence/leave", _leave_create, row(401, 201, 404, 403, 403, 404, 403, 403)),
]
