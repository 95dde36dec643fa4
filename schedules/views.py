from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.forms import form_add_service_errors
from config.frame import CSRF_STANDIN, PATH_STANDIN, personalise
from roster.dates import bounded
from roster.models import Unit
from roster.policy import viewer_for
from schedules import access, selectors, services
from schedules import cache as page_cache
from schedules.forms import BaseScheduleForm, ClosedDayForm, CommentForm, DaysForm
from schedules.models import CARE_KINDS, DayEntry


def _date_param(value: str | None) -> date:
    try:
        return bounded(date.fromisoformat(value)) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _week_url(child_id: int, day: date) -> str:
    monday = day - timedelta(days=day.weekday())
    return reverse("schedules:child-week", args=[child_id]) + "?vecka=" + selectors.week_param(monday)


def _report_failures(request, failures) -> None:
    for failure in failures:
        messages.warning(
            request,
            _("Kunde inte kopiera till %(name)s: %(message)s") % {"name": failure.name, "message": failure.message},
        )


def _siblings(request, child_access):
    if child_access.mode != "guardian":
        return []
    return services.siblings_in_care(viewer=viewer_for(request), child=child_access.child)


def _chosen_siblings(form, siblings):
    chosen = set(form.cleaned_data.get("siblings") or [])
    return [c for c in siblings if str(c.pk) in chosen]


# --- Overview --------------------------------------------------------------------------------


@require_http_methods(["GET"])
def overview(request):
    viewer = viewer_for(request)
    children = [
        (c, [p for p in c.active_placements if p.unit.kind in CARE_KINDS])
        for c in viewer.children
        if any(p.unit.kind in CARE_KINDS for p in c.active_placements)
    ]
    units = [u for u in viewer.staff_units if u.kind in CARE_KINDS]
    if viewer.is_superuser and not units:
        units = list(Unit.objects.filter(kind__in=CARE_KINDS).order_by("name"))
    return render(request, "schedules/overview.html", {"children": children, "units": units})


# --- Guardian (and staff) on one child --------------------------------------------------------


def _week_context(child_access, monday: date, comment_form=None) -> dict:
    child = child_access.child
    weeks = selectors.child_weeks(child=child, placements=child_access.placements, monday=monday)
    # Showing the page marks nothing read (a GET changes nothing): the reader presses
    # "Markera som lästa" (schedules:comments-read), a POST.
    unread = child_access.can_write and any(
        not c.read_at and c.by_staff != child_access.as_staff for w in weeks for d in w.days for c in d.comments
    )
    return {
        "unread": unread,
        "week_param": selectors.week_param(monday),
        "child": child,
        "access": child_access,
        "placements": child_access.placements,
        "weeks": weeks,
        "previous": selectors.week_param(monday - timedelta(days=14)),
        "next": selectors.week_param(monday + timedelta(days=14)),
        "lock_last_day": selectors.lock_last_day(),
        "first_open_day": selectors.first_open_day(),
        "comment_form": comment_form or CommentForm(initial={"date": timezone.localdate()}),
        "csrf_token": CSRF_STANDIN,
    }


def _week_html(child_access, monday: date, comment_form=None) -> str:
    context = _week_context(child_access, monday, comment_form=comment_form)
    return render_to_string("schedules/child_week_content.html", context)


@require_http_methods(["GET"])
def child_week(request, child_id):
    child_access = access.get_care_child_for_viewer(request, child_id)
    if request.GET.get("vecka") or child_access.as_staff:
        monday = selectors.week_from_param(request.GET.get("vecka"))
    else:
        # Guardians: the locked week, then the first week they can still change.
        monday = selectors.opening_monday()
    child = child_access.child
    content = page_cache.cached_content(
        request=request,
        name="week",
        # The same page for everyone who sees the child the same way (guardian, staff, reader).
        scope=f"c{child.pk}:{child_access.mode}",
        keys=page_cache.child_page_keys(child_id=child.pk, unit_ids={p.unit_id for p in child_access.placements}),
        build=lambda: (_week_html(child_access, monday), None),
    )
    return render(request, "schedules/child_week.html", {"child": child, "content": content})


@require_http_methods(["GET", "POST"])
def base_edit(request, child_id):
    child_access = access.get_care_child_for_edit(request, child_id)
    child = child_access.child
    siblings = _siblings(request, child_access)
    initial = {"start_date": selectors.first_open_day(), "version": selectors.schedule_version(child=child)}
    latest = selectors.base_latest(child=child)
    if latest:
        initial["rotating"] = latest.rotating
        for w, week in enumerate(latest.weeks):
            for d, times in enumerate(week):
                if times:
                    initial[f"w{w}_d{d}_start"], initial[f"w{w}_d{d}_end"] = times
    form = BaseScheduleForm(request.POST or None, initial=initial, siblings=siblings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.schedule_base_set(
                child=child,
                actor=request.user,
                start_date=data["start_date"],
                weeks=form.weeks(),
                version=data["version"],
                placements=child_access.placements,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            failures = services.schedule_copy_to_siblings(
                siblings=_chosen_siblings(form, siblings),
                actor=request.user,
                operation=services.schedule_base_set,
                start_date=data["start_date"],
                weeks=form.weeks(),
            )
            messages.success(request, _("Grundschemat är sparat."))
            _report_failures(request, failures)
            return redirect(_week_url(child.pk, data["start_date"]))
    return render(
        request,
        "schedules/base_form.html",
        {"form": form, "child": child, "latest": latest, "first_open_day": selectors.first_open_day()},
    )


@require_http_methods(["GET", "POST"])
def days_edit(request, child_id):
    child_access = access.get_care_child_for_edit(request, child_id)
    child = child_access.child
    siblings = _siblings(request, child_access)
    day = _date_param(request.GET.get("datum")) if request.GET.get("datum") else selectors.first_open_day()
    initial = {"start_date": day, "version": selectors.schedule_version(child=child), "kind": DayEntry.Kind.TIMES}
    if request.method == "GET":
        # Start from what the day holds now: less typing for a small change.
        current = selectors.ScheduleData(
            child_ids=[child.pk], start=day, end=day, placements=child_access.placements
        ).day(child.pk, day)
        if current.status == "times":
            initial.update(start_time=current.start, end_time=current.end)
        elif current.status == "ledig":
            initial["kind"] = DayEntry.Kind.LEDIG
    form = DaysForm(request.POST or None, initial=initial, siblings=siblings, as_staff=child_access.as_staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        change = {
            "start_date": data["start_date"],
            "end_date": data.get("end_date"),
            "kind": data["kind"],
            "start_time": data.get("start_time"),
            "end_time": data.get("end_time"),
        }
        try:
            count = services.schedule_days_set(
                child=child,
                actor=request.user,
                version=data["version"],
                as_staff=child_access.as_staff,
                reason=data.get("reason", ""),
                placements=child_access.placements,
                **change,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            failures = services.schedule_copy_to_siblings(
                siblings=_chosen_siblings(form, siblings),
                actor=request.user,
                operation=services.schedule_days_set,
                **change,
            )
            messages.success(request, _("Schemat är sparat (%(count)d dagar).") % {"count": count})
            _report_failures(request, failures)
            return redirect(_week_url(child.pk, data["start_date"]))
    context = {
        "form": form,
        "child": child,
        "access": child_access,
        "first_open_day": selectors.first_open_day(),
        "lock_last_day": selectors.lock_last_day(),
    }
    return render(request, "schedules/days_form.html", context)


@require_http_methods(["POST"])
def comment_create(request, child_id):
    child_access = access.get_care_child_for_edit(request, child_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.day_comment_create(
                child=child_access.child,
                author=request.user,
                day=form.cleaned_data["date"],
                body=form.cleaned_data["body"],
                by_staff=child_access.as_staff,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Kommentaren är skickad."))
            return redirect(_week_url(child_access.child.pk, form.cleaned_data["date"]))
    monday = selectors.week_from_param(request.GET.get("vecka"))
    # A form with errors: rendered for this request only, never cached.
    content = personalise(request, _week_html(child_access, monday, comment_form=form))
    return render(request, "schedules/child_week.html", {"child": child_access.child, "content": content})


@require_http_methods(["POST"])
def comments_read(request, child_id):
    """The reader marks the other side's comments in the two weeks shown as read."""
    child_access = access.get_care_child_for_edit(request, child_id)
    monday = selectors.week_from_param(request.POST.get("vecka"))
    services.day_comments_mark_read(
        child_ids=[child_access.child.pk], start=monday, end=monday + timedelta(days=13), by_staff=child_access.as_staff
    )
    return redirect(
        reverse("schedules:child-week", args=[child_access.child.pk]) + "?vecka=" + selectors.week_param(monday)
    )


# --- Staff -------------------------------------------------------------------------------------


def _group_param(request, unit) -> tuple[int | None, list]:
    return _group_param_from(request.GET, unit)


def _group_param_from(params, unit) -> tuple[int | None, list]:
    groups = list(unit.groups.order_by("name"))
    raw = params.get("grupp", "")
    group_id = int(raw) if raw.isdigit() and any(g.pk == int(raw) for g in groups) else None
    return group_id, groups


def _staff_context(unit, day: date, group_id, groups, current: str) -> dict:
    return {
        "unit": unit,
        "day": day,
        "group_id": group_id,
        "groups": groups,
        "previous": day - timedelta(days=3 if day.weekday() == 0 else 1),
        "next": day + timedelta(days=3 if day.weekday() == 4 else 1),
        "current": current,
        "csrf_token": CSRF_STANDIN,
        "path": PATH_STANDIN,
    }


def _unit_page(request, unit, *, name: str, with_attendance: bool, build) -> str:
    """The staff page's content, shared by the unit's staff (schedules/cache.py)."""
    return page_cache.cached_content(
        request=request,
        name=name,
        scope=f"u{unit.pk}",
        keys=page_cache.unit_page_keys(unit_id=unit.pk, with_attendance=with_attendance),
        build=build,
    )


@require_http_methods(["GET"])
def unit_day(request, unit_id):
    unit = access.get_care_unit_for_staff(request, unit_id)
    day = _date_param(request.GET.get("datum"))

    def build():
        group_id, groups = _group_param(request, unit)
        rows = selectors.unit_day_rows(unit=unit, day=day, group_id=group_id)
        context = _staff_context(unit, day, group_id, groups, "unit-day")
        context.update(
            unread=any(not c.by_staff and not c.read_at for r in rows for c in r.day.comments),
            rows=rows,
            expected=sum(1 for r in rows if r.day.expected),
            missing=sum(1 for r in rows if r.day.status == "missing"),
        )
        return render_to_string("schedules/unit_day_content.html", context), None

    content = _unit_page(request, unit, name="day", with_attendance=True, build=build)
    return render(request, "schedules/unit_day.html", {"unit": unit, "content": content})


@require_http_methods(["POST"])
def unit_comments_read(request, unit_id):
    """Staff mark the guardians' comments on the day list (the day, the group shown) as read."""
    unit = access.get_care_unit_for_staff(request, unit_id)
    day = _date_param(request.POST.get("datum"))
    group_id, _groups = _group_param_from(request.POST, unit)
    rows = selectors.unit_day_rows(unit=unit, day=day, group_id=group_id)
    services.day_comments_mark_read(child_ids=[r.child.pk for r in rows], start=day, end=day, by_staff=True, unit=unit)
    query = f"?datum={day.isoformat()}" + (f"&grupp={group_id}" if group_id else "")
    return redirect(reverse("schedules:unit-day", args=[unit.pk]) + query)


@require_http_methods(["GET"])
def unit_planning(request, unit_id):
    unit = access.get_care_unit_for_staff(request, unit_id)
    day = _date_param(request.GET.get("datum"))

    def build():
        group_id, groups = _group_param(request, unit)
        context = _staff_context(unit, day, group_id, groups, "unit-planning")
        context["planning"] = selectors.unit_planning(unit=unit, day=day, group_id=group_id)
        return render_to_string("schedules/unit_planning_content.html", context), None

    content = _unit_page(request, unit, name="planning", with_attendance=False, build=build)
    return render(request, "schedules/unit_planning.html", {"unit": unit, "content": content})


@require_http_methods(["GET", "POST"])
def checkin(request, unit_id):
    unit = access.get_care_unit_for_staff(request, unit_id)
    today = timezone.localdate()
    if request.method == "POST":
        group_id, _groups = _group_param(request, unit)
        rows = selectors.unit_day_rows(unit=unit, day=today)
        row = next((r for r in rows if str(r.child.pk) == request.POST.get("child")), None)
        if row is None:
            raise Http404("Inget barn")
        try:
            services.attendance_tap(child=row.child, actor=request.user, action=request.POST.get("action", ""))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        url = reverse("schedules:checkin", args=[unit.pk]) + (f"?grupp={group_id}" if group_id else "")
        return redirect(f"{url}#barn-{row.child.pk}")

    def build():
        group_id, groups = _group_param(request, unit)
        rows = selectors.unit_day_rows(unit=unit, day=today, group_id=group_id)
        context = _staff_context(unit, today, group_id, groups, "checkin")
        expected_rows = [r for r in rows if r.day.expected]
        other_rows = [r for r in rows if not r.day.expected]
        context.update(
            expected_rows=expected_rows,
            other_rows=other_rows,
            # One row markup for both lists (no include per row); the second is left out empty.
            sections=[
                {"title": _("Väntas idag"), "rows": expected_rows, "empty": _("Inga barn väntas.")},
                {"title": _("Övriga i gruppen"), "rows": other_rows, "empty": ""},
            ],
        )
        return render_to_string("schedules/checkin_content.html", context), selectors.rows_valid_until(rows)

    content = _unit_page(request, unit, name="checkin", with_attendance=True, build=build)
    return render(request, "schedules/checkin.html", {"unit": unit, "content": content})


@require_http_methods(["GET", "POST"])
def closed_days(request, unit_id):
    unit = access.get_care_unit_for_staff(request, unit_id)
    may_manage = access.may_manage_closed_days(request, unit)
    form = ClosedDayForm(request.POST or None)
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if request.POST.get("delete", "").isdigit():
            services.closed_day_delete(unit=unit, actor=request.user, closed_day_id=int(request.POST["delete"]))
            messages.success(request, _("Dagen är inte längre stängd."))
            return redirect("schedules:closed-days", unit.pk)
        if form.is_valid():
            try:
                services.closed_day_create(
                    unit=unit, actor=request.user, day=form.cleaned_data["date"], reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, _("Dagen är markerad som stängd."))
                return redirect("schedules:closed-days", unit.pk)
    days = selectors.closed_days_for_unit(unit=unit, start=timezone.localdate())
    return render(
        request, "schedules/closed_days.html", {"unit": unit, "days": days, "form": form, "may_manage": may_manage}
    )
