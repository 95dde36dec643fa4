"""API routes of absence: reports (create, end early, list) and leave applications.
Mounted by the api app under /api/v1/absence/. The same access helpers and services as the
pages, so the same rules and the same audit records."""

from datetime import date, time

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from absence import access, selectors, services
from roster.policy import viewer_for

router = Router(tags=["Frånvaro"])


class ReportOut(Schema):
    id: int
    child_id: int
    start_date: date
    end_date: date
    start_time: time | None
    end_time: time | None
    reason: str
    comment: str


class ReportIn(Schema):
    children: list[int]
    start_date: date
    end_date: date
    reason: str = "sjuk"
    start_time: time | None = None
    end_time: time | None = None
    comment: str = ""


class ReportEndIn(Schema):
    back_on: date


class ReportEndOut(Schema):
    report: ReportOut | None


class LeaveOut(Schema):
    id: int
    child_id: int
    start_date: date
    end_date: date
    reason: str
    state: str
    state_label: str


class LeaveIn(Schema):
    child_id: int
    start_date: date
    end_date: date
    reason: str


def _leave(application) -> dict:
    return {
        "id": application.pk,
        "child_id": application.child_id,
        "start_date": application.start_date,
        "end_date": application.end_date,
        "reason": application.reason,
        "state": application.state,
        "state_label": str(application.get_state_display()),
    }


@router.get("/reports", response=list[ReportOut], summary="Frånvaroanmälningar som inte är över")
def reports(request):
    """Three viewer queries + one."""
    ids = [c.pk for c in viewer_for(request).children]
    return selectors.reports_ahead(child_ids=ids, today=timezone.localdate()) if ids else []


@router.post("/reports", response={201: list[ReportOut]}, summary="Anmäl frånvaro")
def report_create(request, payload: ReportIn):
    if not payload.children:
        raise ValidationError({"children": _("Välj minst ett barn.")})
    children = [access.get_child_for_report(request, child_id) for child_id in dict.fromkeys(payload.children)]
    created = services.absence_report_create(
        children=children,
        reported_by=request.user,
        start_date=payload.start_date,
        end_date=payload.end_date,
        reason=payload.reason,
        start_time=payload.start_time,
        end_time=payload.end_time,
        comment=payload.comment,
    )
    return Status(201, created)


@router.post("/reports/{report_id}/end", response=ReportEndOut, summary="Friskanmäl (avsluta en anmälan i förtid)")
def report_end(request, report_id: int, payload: ReportEndIn):
    report = access.get_report_for_edit(request, report_id)
    return {"report": services.absence_report_end(report=report, ended_by=request.user, back_on=payload.back_on)}


@router.get("/leave", response=list[LeaveOut], summary="Ledighetsansökningar för mina barn")
def leave(request):
    viewer = viewer_for(request)
    own = [c.pk for c in viewer.children if c.user_id != request.user.pk]
    return [_leave(a) for a in selectors.leave_recent(child_ids=own, today=timezone.localdate())] if own else []


@router.post("/leave", response={201: LeaveOut}, summary="Ansök om ledighet")
def leave_create(request, payload: LeaveIn):
    child = access.get_child_for_report(request, payload.child_id)
    if not selectors.school_group_ids(child):
        raise ValidationError({"child_id": _("Ledighet söks bara för elever i skolan.")})
    application = services.leave_apply(
        child=child,
        applied_by=request.user,
        start_date=payload.start_date,
        end_date=payload.end_date,
        reason=payload.reason,
    )
    return Status(201, _leave(application))
