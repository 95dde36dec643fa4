import csv
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from absence import access, selectors, services, stats
from absence.forms import (
    AttendanceForm,
    ConsentForm,
    DecisionForm,
    LeaveForm,
    ReportEditForm,
    ReportEndForm,
    ReportForm,
)
from absence.models import LeaveApplication, Reason
from config.forms import form_add_service_errors
from config.frame import CSRF_STANDIN, personalise, render_framed
from config.uploads import attachment_disposition
from roster.dates import bounded, span_label
from roster.policy import viewer_for


def _day(value: str) -> date:
    try:
        return bounded(date.fromisoformat(value))
    except ValueError as exc:
        raise Http404("Inget datum") from exc


# --- Guardians ---------------------------------------------------------------------------


@require_http_methods(["GET"])
def overview(request):
    """Guardians: each child's reports ahead and leave; staff: a link to today's absence."""
    viewer = viewer_for(request)
    own = [c for c in viewer.children if c.user_id != request.user.pk]
    if not own and viewer.student_child is not None and not viewer.is_staff_or_superuser:
        # A student's own absence: their history page speaks to them ("din frånvaro").
        return redirect("absence:child-history", viewer.student_child.pk)
    from django.template.loader import render_to_string
    from django.utils.safestring import mark_safe

    from hub.cache import box_template, viewer_page

    def build(_versions):
        # The Hub's Frånvaro box, data and template: cached under the same generations
        # (absence.services bumps the child on every write; an admin edit bumps everything).
        boxes = selectors.absence_box_for_children(viewer=viewer, children=own) if own else {}
        box = box_template("absence/boxes/absence.jinja")
        children = [
            {"data": boxes[c.pk], "box": mark_safe(box.render({"data": boxes[c.pk]}))}  # noqa: S308 - autoescaped
            for c in own
        ]
        context = {"children": children, "is_staff": viewer.is_staff_or_superuser}
        return render_to_string("absence/overview_content.html", context, request=request), None

    content = viewer_page(request=request, viewer=viewer, name="franvaro", build=build)
    return render_framed(request, "absence/overview.html", body=content)


@require_http_methods(["GET", "POST"])
def report_create(request):
    children = access.guardian_children(request)
    initial = {}
    requested = request.GET.get("barn", "")
    if requested.isdigit():
        initial["children"] = [int(requested)]
    elif len(children) == 1:
        initial["children"] = [children[0].pk]
    form = ReportForm(request.POST or None, children=children, initial=initial)
    if request.method == "POST" and form.is_valid():
        chosen = [c for c in children if c.pk in form.cleaned_data["children"]]
        try:
            reports = services.absence_report_create(children=chosen, reported_by=request.user, **form.service_kwargs())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            names = ", ".join(c.given_name for c in chosen)
            messages.success(request, _("Frånvaron är anmäld för %(names)s.") % {"names": names})
            _tell_what_happened(request, reports)
            return redirect("hub:dashboard")
    return render(request, "absence/report_form.html", {"form": form})


def _tell_what_happened(request, reports) -> None:
    """Say when a report was merged with an earlier one, or kept beside one with another reason."""
    for report in reports:
        if report.merged_count:
            messages.info(
                request,
                _("%(name)s: anmälan slogs ihop med den tidigare anmälan med samma orsak (%(span)s).")
                % {"name": report.child.given_name, "span": span_label(report.start_date, report.end_date)},
            )
        for other in report.kept_apart:
            messages.info(
                request,
                _(
                    "%(name)s har redan en anmälan med en annan orsak (%(reason)s, %(span)s). "
                    "Den finns kvar som den var; den nya sparades för sig."
                )
                % {
                    "name": report.child.given_name,
                    "reason": other.get_reason_display(),
                    "span": span_label(other.start_date, other.end_date),
                },
            )


@require_http_methods(["GET", "POST"])
def quick_sick(request, child_id):
    """The second tap from the Hub: confirm that the child is sick today."""
    child = access.get_child_for_report(request, child_id)
    today = timezone.localdate()
    error = None
    if request.method == "POST":
        try:
            reports = services.absence_report_create(
                children=[child], reported_by=request.user, start_date=today, end_date=today, reason=Reason.SJUK
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("%(name)s är sjukanmäld idag.") % {"name": child.given_name})
            _tell_what_happened(request, reports)
            return redirect("hub:dashboard")
    return render(request, "absence/quick_sick.html", {"child": child, "today": today, "error": error})


@require_http_methods(["GET"])
def child_history(request, child_id):
    child = access.get_child_for_viewer(request, child_id)
    context = selectors.child_history(child=child)
    groups = [p.group for p in child.active_placements if p.group_id and p.unit.kind == "grundskola"]
    term = stats.current_term()
    own = stats.stats_for_groups(groups=groups, term=term, child_id=child.pk).pupils if groups else []
    context.update(
        child=child,
        may_report=access.is_guardian_of(request, child),
        term=term,
        term_stats=own,
        is_self=child.user_id is not None and child.user_id == request.user.pk,
    )
    return render(request, "absence/child_history.html", context)


def _edit_initial(report):
    return {
        "reason": report.reason,
        "start_date": report.start_date,
        "end_date": report.end_date,
        "start_time": report.start_time,
        "end_time": report.end_time,
        "comment": report.comment,
    }


@require_http_methods(["GET", "POST"])
def report_edit(request, report_id):
    report = access.get_report_for_edit(request, report_id)
    if not services.report_is_changeable(report):
        raise PermissionDenied
    form = ReportEditForm(request.POST or None, initial=_edit_initial(report))
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_report_update(report=report, changed_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Anmälan är ändrad."))
            return redirect("absence:child-history", report.child_id)
    return render(request, "absence/report_edit.html", {"form": form, "report": report})


@require_http_methods(["GET", "POST"])
def report_end(request, report_id):
    report = access.get_report_for_edit(request, report_id)
    if not services.report_is_changeable(report):
        raise PermissionDenied
    today = timezone.localdate()
    form = ReportEndForm(request.POST or None, initial={"back_on": max(today, report.start_date)})
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_report_end(report=report, ended_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Friskanmälan är gjord."))
            return redirect("absence:child-history", report.child_id)
    return render(request, "absence/report_end.html", {"form": form, "report": report})


@require_http_methods(["GET", "POST"])
def report_extend(request, report_id):
    """'Sjuk idag också' from the next-morning e-mail."""
    report = access.get_report_for_edit(request, report_id)
    today = timezone.localdate()
    error = None
    if request.method == "POST":
        try:
            services.absence_report_extend(report=report, extended_by=request.user, until=today)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("%(name)s är sjukanmäld idag också.") % {"name": report.child.given_name})
            return redirect("hub:dashboard")
    return render(
        request,
        "absence/report_extend.html",
        {"report": report, "today": today, "covered": report.end_date >= today, "error": error},
    )


# --- Leave ------------------------------------------------------------------------------


@require_http_methods(["GET"])
def leave_list(request):
    viewer = viewer_for(request)
    own = [c for c in viewer.children if c.user_id != request.user.pk]
    mine = selectors.leave_recent(child_ids=[c.pk for c in own], today=timezone.localdate()) if own else []
    names = {c.pk: c for c in own}
    for application in mine:
        application.child = names[application.child_id]
    to_decide = selectors.leave_to_decide(user=request.user) if viewer.is_staff_or_superuser else []
    return render(request, "absence/leave_list.html", {"mine": mine, "to_decide": to_decide, "is_guardian": bool(own)})


@require_http_methods(["GET", "POST"])
def leave_create(request):
    children = [c for c in access.guardian_children(request) if selectors.school_group_ids(c)]
    if not children:
        raise PermissionDenied
    requested = request.GET.get("barn", "")
    form = LeaveForm(
        request.POST or None, children=children, initial={"child": int(requested)} if requested.isdigit() else {}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        child = next(c for c in children if c.pk == data.pop("child"))
        try:
            application = services.leave_apply(child=child, applied_by=request.user, **data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            if application.state == LeaveApplication.State.AWAITING_CONSENT:
                messages.success(
                    request, _("Ansökan är sparad. Den andra vårdnadshavaren behöver samtycka innan skolan ser den.")
                )
            else:
                messages.success(request, _("Ansökan är skickad till skolan."))
            return redirect("absence:leave-detail", application.pk)
    return render(request, "absence/leave_form.html", {"form": form})


def _leave_context(request, application, **extra):
    user = request.user
    is_other_guardian = (
        application.state == LeaveApplication.State.AWAITING_CONSENT
        and application.applied_by_id != user.pk
        and access.is_guardian_of(request, application.child)
    )
    role = (
        services.leave_decider_role(user=user, application=application)
        if application.state == LeaveApplication.State.PENDING and (viewer_for(request).is_staff_or_superuser)
        else None
    )
    context = {
        "application": application,
        # The school's view: class, absence this term, what happens in the period.
        "decision": selectors.leave_decision_context(application=application)
        if viewer_for(request).is_staff_or_superuser
        else {},
        "consent_form": ConsentForm() if is_other_guardian else None,
        "decision_form": DecisionForm() if role else None,
        "decider_role": role,
    }
    context.update(extra)
    return context


@require_http_methods(["GET"])
def leave_detail(request, leave_id):
    application = access.get_leave_for_viewer(request, leave_id)
    return render(request, "absence/leave_detail.html", _leave_context(request, application))


@require_http_methods(["POST"])
def leave_consent(request, leave_id):
    application = access.get_leave_for_viewer(request, leave_id)
    if not access.is_guardian_of(request, application.child):
        raise PermissionDenied
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.leave_consent(application=application, by=request.user, agree=form.cleaned_data["agree"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Ditt svar är sparat."))
            return redirect("absence:leave-detail", application.pk)
    return render(request, "absence/leave_detail.html", _leave_context(request, application, consent_form=form))


@require_http_methods(["POST"])
def leave_decide(request, leave_id):
    application = access.get_leave_for_viewer(request, leave_id)
    if services.leave_decider_role(user=request.user, application=application) is None:
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.leave_decide(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Beslutet är sparat och vårdnadshavarna får e-post."))
            return redirect("absence:leave-list")
    return render(request, "absence/leave_detail.html", _leave_context(request, application, decision_form=form))


# --- Staff: today and lessons --------------------------------------------------------------


@require_http_methods(["GET"])
def today(request):
    """Served from the person's page cache (hub.cache.viewer_page) while the generations of
    their units are unchanged: a report (service: the child's units' staff views; admin:
    everything), a placement or a closed day (the unit) makes the next load fresh. The
    content has no form token: the group filter is a GET form."""
    from hub.cache import viewer_page

    viewer = viewer_for(request)
    if not (viewer.is_staff_or_superuser):
        raise PermissionDenied
    group_id = request.GET.get("grupp", "")
    group_id = int(group_id) if group_id.isascii() and group_id.isdigit() else None

    def build(_versions):
        day = timezone.localdate()
        units = viewer.staff_units
        unit_ids = {u.pk for u in units}
        # Names, not instances: on a flu day every report rebuilds this list (absent_names_on).
        absent = selectors.absent_names_on(unit_ids=unit_ids, day=day, group_id=group_id)
        context = {
            "day": day,
            "units": [(u, absent.get(u.pk, [])) for u in units],
            "lessons": selectors.teacher_lessons_on(user=request.user, day=day, absent=absent),
            "groups": selectors.groups_of_units(unit_ids=unit_ids),
            "group_id": group_id,
        }
        return render_to_string("absence/today_content.html", context), None

    content = viewer_page(request=request, viewer=viewer, name="franvaro-idag", build=build)
    return render_framed(request, "absence/today.html", body=content)


@require_http_methods(["GET", "POST"])
def lesson_attendance(request, lesson_id, day):
    """GET is served from the cache (absence/cache.py): the same sheet for everyone at the
    unit who may register it (or may only read it), until a registration, report,
    placement, closed day or admin edit changes the unit; only the form token is the
    request's own. A POST with errors is rendered in full."""
    from absence import cache
    from config.replica import primary

    lesson = access.get_lesson_for_staff(request, lesson_id)
    day = _day(day)
    today = timezone.localdate()
    may = lesson.may_correct or lesson.may_register
    if request.method == "POST":
        access.require_may_register(lesson, day, today)
        content = _lesson_sheet(request, lesson=lesson, day=day, today=today, may=may)
        if not isinstance(content, str):
            return content  # saved: redirected
    else:
        slot = f"absence:sheet:{lesson.pk}:{day.isoformat()}:{int(may)}:{translation.get_language()}"
        stamp, content = cache.read(
            keys=cache.keys_for_unit(lesson.group.unit_id, reports=True), slot=slot, today=today
        )
        if content is None:
            with primary():
                content = _lesson_sheet(request, lesson=lesson, day=day, today=today, may=may)
            cache.store(slot=slot, stamp=stamp, value=content)
    return render(
        request, "absence/lesson_attendance.html", {"lesson": lesson, "content": personalise(request, content)}
    )


def _lesson_sheet(request, *, lesson, day, today, may: bool):
    """The sheet's HTML (with config.frame.CSRF_STANDIN for the token), or the redirect after a save."""
    not_held = selectors.lesson_held_reason(lesson=lesson, day=day)
    if not_held is None and day > today:
        not_held = _("Närvaro registreras när lektionen har börjat.")
    sheet = selectors.attendance_sheet(lesson=lesson, day=day, with_existing=request.method == "GET")
    form = AttendanceForm(request.POST or None, sheet=sheet)
    if request.method == "POST":
        if not_held:
            form.add_error(None, not_held)
        elif form.is_valid():
            try:
                count = services.lesson_attendance_save(
                    lesson=lesson, day=day, registered_by=request.user, marks=form.marks(), pupil_ids=sheet.pupil_ids
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, _("Närvaron för %(count)s elever är sparad.") % {"count": count})
                return redirect("absence:lesson-attendance", lesson.pk, day.isoformat())
    context = {
        "lesson": lesson,
        "day": day,
        "sheet": sheet,
        "form": form,
        "not_held": not_held,
        "may_register": may and not not_held,
        "csrf_token": CSRF_STANDIN,
    }
    return render_to_string("absence/lesson_attendance_content.html", context)


# --- Statistics -------------------------------------------------------------------------


def _term(request):
    """One query (two when none of the latest terms has started): the terms to choose
    from, and the chosen one or the current one (the latest that has started)."""
    terms = stats.terms_all()
    wanted = request.GET.get("termin", "")
    term = next((t for t in terms if str(t.pk) == wanted), None)
    if term is None:
        today = timezone.localdate()
        term = next((t for t in terms if t.start_date <= today), None) or stats.current_term()
    return term, terms


# A page of pupils: a class fits on one; a unit's page lists those with the most absence
# first (the CSV has everyone).
STATS_PER_PAGE = 30
MAX_PAGE = 999


def _page_number(request) -> int:
    """The page asked for, 1..MAX_PAGE: a bad number is the first page, one past the end the
    last (Paginator.get_page), never an error."""
    value = request.GET.get("sida", "")
    if not (value.isascii() and value.isdigit()) or int(value[:4]) < 1:
        return 1
    return min(int(value[:4]) if len(value) <= 4 else MAX_PAGE, MAX_PAGE)


def _stats_page(request, *, scope: str, group, unit, groups, terms, term):
    """The page around its content, which is cached (absence.stats.page_cached) and built
    without the request: the links carry only the term and the page number."""
    number = _page_number(request)

    def build(result):
        context = {
            "group": group,
            "unit": unit,
            "stats": result,
            "page": Paginator(result.pupils, STATS_PER_PAGE).get_page(number),
            "chart": stats.week_chart(result),
            "terms": terms,
            "term_query": f"?termin={term.pk}" if term else "",
            "page_prefix": f"?termin={term.pk}&sida=" if term else "?sida=",
        }
        return render_to_string("absence/stats_content.html", context)

    content = stats.page_cached(scope=scope, unit_id=unit.pk, groups=groups, term=term, page=str(number), build=build)
    return render(request, "absence/stats.html", {"group": group, "unit": unit, "content": mark_safe(content)})  # noqa: S308 - our template


def _group_stats(group, term):
    return stats.stats_cached(scope=f"g{group.pk}", unit_id=group.unit_id, groups=lambda: [group], term=term)


def _unit_stats(unit, term):
    return stats.stats_cached(
        scope=f"u{unit.pk}", unit_id=unit.pk, groups=lambda: selectors.teaching_groups_of_unit(unit=unit), term=term
    )


@require_http_methods(["GET"])
def group_stats(request, group_id):
    group = access.get_group_for_stats(request, group_id)
    term, terms = _term(request)
    return _stats_page(
        request, scope=f"g{group.pk}", group=group, unit=group.unit, groups=lambda: [group], terms=terms, term=term
    )


def _csv_safe(value: str) -> str:
    """A cell that a spreadsheet would read as a formula is quoted (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _stats_csv(result, *, name: str, term) -> HttpResponse:
    """Every pupil of the statistics, whatever page the screen shows."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    # Well-formed: `attachment; filename="franvaro-3B-HT-2026.csv"` (plus filename*= for å, ä, ö).
    response["Content-Disposition"] = attachment_disposition(f"franvaro-{name}-{term}.csv".replace(" ", "-"))
    response.write("\ufeff")  # Excel opens UTF-8 with a BOM
    writer = csv.writer(response, delimiter=";")
    writer.writerow(
        [
            "Elev",
            "Grupp",
            "Schemalagd tid (min)",
            "Giltig (min)",
            "Ogiltig (min)",
            "Frånvaro %",
            "Giltig %",
            "Ogiltig %",
        ]
    )
    for p in result.pupils:
        writer.writerow(
            [
                _csv_safe(p.name),
                _csv_safe(p.group_name),
                p.scheduled,
                p.valid,
                p.invalid,
                str(p.percent).replace(".", ","),
                str(p.valid_percent).replace(".", ","),
                str(p.invalid_percent).replace(".", ","),
            ]
        )
    return response


@require_http_methods(["GET"])
def group_stats_csv(request, group_id):
    group = access.get_group_for_stats(request, group_id)
    term, _terms = _term(request)
    result = _group_stats(group, term)
    return _stats_csv(result, name=group.name, term=term)


@require_http_methods(["GET"])
def unit_stats(request, unit_id):
    unit = access.get_unit_for_stats(request, unit_id)
    term, terms = _term(request)
    groups = lambda: selectors.teaching_groups_of_unit(unit=unit)  # noqa: E731 - only on a miss
    return _stats_page(request, scope=f"u{unit.pk}", group=None, unit=unit, groups=groups, terms=terms, term=term)


@require_http_methods(["GET"])
def unit_stats_csv(request, unit_id):
    unit = access.get_unit_for_stats(request, unit_id)
    term, _terms = _term(request)
    result = _unit_stats(unit, term)
    return _stats_csv(result, name=unit.name, term=term)
