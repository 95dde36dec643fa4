from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config import uploads
from config.forms import form_add_service_errors
from config.frame import render_framed
from hub import access, selectors, services
from hub.forms import EventForm, NewsForm
from roster.dates import bounded
from roster.policy import viewer_for

SELECTED_CHILD_KEY = "hub_selected_child"


def private_file_via_proxy(*, name: str, filename: str, content_type: str) -> HttpResponse:
    """An empty response that tells nginx to send MEDIA_ROOT/`name` (X-Accel-Redirect)."""
    from urllib.parse import quote

    response = HttpResponse(content_type=content_type)
    response["X-Accel-Redirect"] = settings.SKOLHUBB_X_ACCEL_PREFIX.rstrip("/") + "/" + quote(name)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET"])
def dashboard(request):
    viewer = viewer_for(request)
    requested = request.GET.get("barn")
    if requested and requested.isdigit():
        request.session[SELECTED_CHILD_KEY] = int(requested)
    board_html = selectors.dashboard_html(
        request=request, viewer=viewer, selected_child_id=request.session.get(SELECTED_CHILD_KEY)
    )
    return render_framed(request, "hub/dashboard.html", body=board_html, body_name="board_html")


# --- News -----------------------------------------------------------------------------------


@require_http_methods(["GET"])
def news_list(request):
    """Served from the person's page cache (hub.cache.viewer_page): news written through the
    services or the admin bumps its audience, and the page ends by the clock when an item in
    view is published or expires."""
    from django.template.loader import render_to_string

    from hub.cache import viewer_page

    viewer = viewer_for(request)

    def build(_versions):
        page = selectors.news_page(viewer=viewer, page=request.GET.get("sida"))
        context = {"page": page, "can_publish": viewer.is_staff_or_superuser, "now": timezone.now()}
        html = render_to_string("hub/news_list_content.html", context, request=request)
        changes = selectors.news_next_change(viewer=viewer)
        return html, changes.timestamp() if changes else None

    content = viewer_page(request=request, viewer=viewer, name="information", build=build)
    return render_framed(request, "hub/news_list.html", body=content)


@require_http_methods(["GET"])
def news_detail(request, news_id):
    news = access.get_news_for_viewer(request, news_id)
    context = selectors.news_detail(news=news)
    context.update(news=news, can_manage=viewer_for(request).may_manage_unit(news.unit_id))
    return render(request, "hub/news_detail.html", context)


def _news_form(request, viewer, initial=None):
    return NewsForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        audience_choices=selectors.audience_choices(viewer=viewer),
    )


def _require_staff(viewer):
    from django.core.exceptions import PermissionDenied

    if not (viewer.is_staff_or_superuser):
        raise PermissionDenied


@require_http_methods(["GET", "POST"])
def news_create(request):
    viewer = viewer_for(request)
    _require_staff(viewer)
    form = _news_form(request, viewer)
    if request.method == "POST" and form.is_valid():
        try:
            news = services.news_create(viewer=viewer, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Nyheten är publicerad."))
            return redirect(news)
    return render(request, "hub/news_form.html", {"form": form, "news": None})


@require_http_methods(["GET", "POST"])
def news_edit(request, news_id):
    viewer = viewer_for(request)
    news = access.get_news_for_edit(request, news_id)
    initial = {
        "title": news.title,
        "body": news.body,
        "audience": f"group:{news.group_id}" if news.group_id else (f"unit:{news.unit_id}" if news.unit_id else "all"),
        "publish_at": timezone.localtime(news.publish_at),
        "expires_at": timezone.localtime(news.expires_at) if news.expires_at else None,
        "links": "\n".join(f"{link.url} {link.title}" for link in news.links.all()),
    }
    form = _news_form(request, viewer, initial=initial)
    attachments = list(news.attachments.all())
    if request.method == "POST" and form.is_valid():
        remove = [int(v) for v in request.POST.getlist("remove_attachment") if v.isdigit()]
        try:
            services.news_update(viewer=viewer, news=news, remove_attachment_ids=remove, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Nyheten är sparad."))
            return redirect(news)
    return render(request, "hub/news_form.html", {"form": form, "news": news, "attachments": attachments})


@require_http_methods(["GET", "POST"])
def news_delete(request, news_id):
    viewer = viewer_for(request)
    news = access.get_news_for_edit(request, news_id)
    if request.method == "POST":
        services.news_delete(viewer=viewer, news=news)
        messages.success(request, _("Nyheten är borttagen."))
        return redirect("hub:news-list")
    return render(request, "hub/confirm_delete.html", {"object": news, "cancel_url": news.get_absolute_url()})


@require_http_methods(["GET"])
def news_attachment(request, attachment_id):
    """Attachments are served only here, after the permission check: never a public URL.
    The type is decided by the server from the file's content (config.uploads), never taken
    from what the uploading browser claimed; only images and PDF are shown inline, everything
    else is a download, and nosniff stops the browser from guessing further."""
    attachment = access.get_attachment_for_viewer(request, attachment_id)
    if settings.USE_S3:
        # A short-lived signed URL to the private bucket, with the type and disposition decided
        # here (stored at upload from the content) as response overrides in the signature.
        content_type = attachment.content_type if attachment.content_type in uploads.KNOWN_TYPES else uploads.OCTET
        url = attachment.file.storage.url(
            attachment.file.name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": uploads.attachment_disposition(
                    attachment.name, inline=uploads.is_inline(content_type)
                ),
                "ResponseCacheControl": "private, no-store",
            },
        )
        return HttpResponseRedirect(url)
    if settings.SKOLHUBB_X_ACCEL_PREFIX:
        # Behind nginx: the permission check is done; nginx sends the file from an `internal`
        # location (deploy/nginx/skolhubb.conf), so no web worker is busy streaming it. The
        # type is the one stored at upload from the content (as for S3).
        content_type = attachment.content_type if attachment.content_type in uploads.KNOWN_TYPES else uploads.OCTET
        response = private_file_via_proxy(
            name=attachment.file.name, filename=attachment.name, content_type=content_type
        )
        response["Content-Disposition"] = uploads.attachment_disposition(
            attachment.name, inline=uploads.is_inline(content_type)
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
    handle = attachment.file.open("rb")
    content_type = uploads.sniff_file(handle, attachment.name)
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = uploads.attachment_disposition(
        attachment.name, inline=uploads.is_inline(content_type)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Calendar ----------------------------------------------------------------------------


def _month_from(value: str | None, viewer=None):
    today = timezone.localdate()
    if not value and viewer is not None:
        # No month asked for: the month with the next things to come, not an empty one.
        return selectors.calendar_opening_month(viewer=viewer)
    if value:
        try:
            year, month = (int(part) for part in value.split("-", 1))
            return bounded(today.replace(year=year, month=month, day=1))
        except ValueError:
            pass
    return today.replace(day=1)


@require_http_methods(["GET"])
def calendar(request):
    """Served from the person's page cache while the generations in view are unchanged
    (events and closed periods bump their units and groups, like the Hub's calendar box)."""
    from django.template.loader import render_to_string

    from hub.cache import viewer_page

    viewer = viewer_for(request)

    def build(_versions):
        month = selectors.calendar_month(viewer=viewer, first=_month_from(request.GET.get("manad"), viewer))
        context = {"month": month, "can_publish": viewer.is_staff_or_superuser, "is_guardian": viewer.is_guardian}
        return render_to_string("hub/calendar_content.html", context, request=request), None

    content = viewer_page(request=request, viewer=viewer, name="kalender", build=build)
    return render_framed(request, "hub/calendar.html", body=content)


@require_http_methods(["GET"])
def event_detail(request, event_id):
    event = access.get_event_for_viewer(request, event_id)
    can_manage = viewer_for(request).may_manage_unit(event.unit_id)
    return render(request, "hub/event_detail.html", {"event": event, "can_manage": can_manage})


def _event_form(request, viewer, initial=None):
    return EventForm(request.POST or None, initial=initial, audience_choices=selectors.audience_choices(viewer=viewer))


@require_http_methods(["GET", "POST"])
def event_create(request):
    viewer = viewer_for(request)
    _require_staff(viewer)
    form = _event_form(request, viewer, initial={"start_date": request.GET.get("datum")})
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(viewer=viewer, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Händelsen är sparad i kalendern."))
            return redirect(event)
    return render(request, "hub/event_form.html", {"form": form, "event": None})


@require_http_methods(["GET", "POST"])
def event_edit(request, event_id):
    viewer = viewer_for(request)
    event = access.get_event_for_edit(request, event_id)
    initial = {
        "title": event.title,
        "description": event.description,
        "event_type": event.event_type,
        "audience": f"group:{event.group_id}"
        if event.group_id
        else (f"unit:{event.unit_id}" if event.unit_id else "all"),
        "all_day": event.all_day,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "start_time": event.start_time,
        "end_time": event.end_time,
    }
    form = _event_form(request, viewer, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_update(viewer=viewer, event=event, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Händelsen är sparad."))
            return redirect(event)
    return render(request, "hub/event_form.html", {"form": form, "event": event})


@require_http_methods(["GET", "POST"])
def event_delete(request, event_id):
    viewer = viewer_for(request)
    event = access.get_event_for_edit(request, event_id)
    if request.method == "POST":
        services.event_delete(viewer=viewer, event=event)
        messages.success(request, _("Händelsen är borttagen."))
        return redirect("hub:calendar")
    return render(request, "hub/confirm_delete.html", {"object": event, "cancel_url": event.get_absolute_url()})
