import logging
import re
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST
from zipstream import ZipStream

from config.forms import form_add_service_errors
from portfolio import access, conf, selectors, services
from portfolio.forms import BlogSettingsForm, CommentForm, EntryForm, PortfolioFilterForm, PostForm
from portfolio.models import Entry, Media
from portfolio.uploads import SIZE, SniffingLimitHandler
from roster.models import Group
from roster.policy import viewer_for

log = logging.getLogger(__name__)

# --- Uploads ---------------------------------------------------------------------------------


def sniffing_uploads(view):
    """Put the sniffing, size-limiting handler in front of Django's before the body is
    read. CSRF is checked by csrf_protect afterwards, since the middleware would read the
    body (and so the files) before the handler is in place.

    config.middleware.UploadLimitMiddleware leaves views marked `streams_own_uploads` alone,
    so this handler enforces the portfolio's limits while the body streams; the service checks
    type and the limits on every file again either way."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not hasattr(request, "_files"):  # the body is not parsed yet (no upload middleware)
            handler = SniffingLimitHandler(request)
            request.upload_handlers.insert(0, handler)
            request.portfolio_upload_handler = handler
        return csrf_protect(view)(request, *args, **kwargs)

    # config.middleware.UploadLimitMiddleware leaves these bodies to SniffingLimitHandler,
    # whose limits (photos 25 MB, videos 200 MB by default) are the portfolio's own.
    wrapper.streams_own_uploads = True
    return wrapper


def _refusal_messages(request) -> list[str]:
    handler = getattr(request, "portfolio_upload_handler", None)
    result = []
    for name, reason in handler.refused if handler else []:
        if reason == SIZE:
            result.append(_("Filen %(name)s är för stor.") % {"name": name})
        else:
            result.append(
                _("Filen %(name)s är inte en bild (JPEG, PNG, HEIC, WebP) eller video (MP4, MOV).") % {"name": name}
            )
    return result


def _upload_files(request, viewer, unit_id, files) -> tuple[list[int], list[str]]:
    ids, errors = [], _refusal_messages(request)
    for uploaded in files:
        try:
            ids.append(services.media_upload(viewer=viewer, unit_id=unit_id, uploaded=uploaded).pk)
        except ValidationError as exc:
            errors.extend(exc.messages)
    return ids, errors


@sniffing_uploads
@require_POST
def media_upload(request, unit_id):
    """The phone's upload script posts one file at a time here and gets its id back."""
    viewer = viewer_for(request)
    if not viewer.may_manage_unit(unit_id):
        raise Http404("Ingen enhet")
    files = request.FILES.getlist("file")
    ids, errors = _upload_files(request, viewer, unit_id, files)
    if errors or not ids:
        return JsonResponse({"error": " ".join(errors) or _("Ingen fil kom fram.")}, status=400)
    return JsonResponse({"id": ids[0]}, status=201)


# --- Serving media ------------------------------------------------------------------------------

RANGE_RE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _file_chunks(handle, start: int, length: int, chunk: int = 64 * 1024):
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


@login_not_required
@require_http_methods(["GET", "HEAD"])
def media(request, media_id, rendition):
    """Every photo and video goes out here, after the access check; never a public URL.
    404 for a logged-out browser as for another family. Range requests for video."""
    item = access.get_media_for_viewer(request, media_id)
    files = {"thumb": item.thumb, "web": item.web, "poster": item.poster}
    if item.kind == Media.Kind.VIDEO:
        files = {"video": item.web, "poster": item.poster}
    field = files.get(rendition)
    if not field or item.state != Media.State.READY:
        raise Http404("Ingen fil")
    content_type = item.content_type if rendition == "video" else "image/jpeg"
    if settings.USE_S3:
        # A short-lived signed URL to the private bucket (AWS_QUERYSTRING_EXPIRE seconds).
        response = HttpResponseRedirect(field.storage.url(field.name))
    elif conf.get("PORTFOLIO_X_ACCEL_REDIRECT"):
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = conf.get("PORTFOLIO_X_ACCEL_REDIRECT").rstrip("/") + "/" + field.name
    else:
        response = _ranged_response(request, field, content_type)
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _ranged_response(request, field, content_type):
    size = field.size
    match = RANGE_RE.match(request.headers.get("Range", "").strip())
    if match and (match.group(1) or match.group(2)):
        first, last = match.groups()
        if first:
            start, end = int(first), int(last) if last else size - 1
        else:  # the last N bytes
            start, end = max(0, size - int(last)), size - 1
        end = min(end, size - 1)
        if start > end or start >= size:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        length = end - start + 1
        response = StreamingHttpResponse(
            _file_chunks(field.open("rb"), start, length), status=206, content_type=content_type
        )
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
        response["Content-Length"] = str(length)
    else:
        response = FileResponse(field.open("rb"), content_type=content_type)
    response["Accept-Ranges"] = "bytes"
    return response


# --- Guardians, students and staff: the start page -----------------------------------------------


@require_http_methods(["GET"])
def index(request):
    viewer = viewer_for(request)
    is_staff = viewer.is_staff_member or viewer.is_superuser
    context = {
        "children": viewer.children,
        "is_staff": is_staff,
        "groups": selectors.staff_groups(viewer=viewer) if is_staff else [],
        "entries": selectors.staff_entries(viewer=viewer, page=request.GET.get("sida")) if is_staff else None,
        "blogs": list(access.blogs_visible_to(request.user).select_related("unit", "group")[:50]),
    }
    return render(request, "portfolio/index.html", context)


# --- Staff: write documentation ------------------------------------------------------------------


def _group_for_documentation(request, group_id) -> Group:
    group = Group.objects.select_related("unit").filter(pk=group_id).first()
    if group is None or not viewer_for(request).may_manage_unit(group.unit_id):
        raise Http404("Ingen grupp")
    return group


def _entry_form_response(request, *, group, entry, initial=None):
    viewer = viewer_for(request)
    split = selectors.group_children(group=group)
    children = split.consenting + split.without_consent
    form = EntryForm(request.POST or None, request.FILES or None, children=children, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = [c for c in children if c.pk in set(data["children"])]
        new_ids, errors = _upload_files(request, viewer, group.unit_id, data["files"])
        for error in errors:
            form.add_error("files", error)
        if not errors:
            try:
                saved = services.entry_save(
                    viewer=viewer,
                    group=group,
                    kind=data["kind"],
                    children=chosen,
                    title=data["title"],
                    body=data["body"],
                    goal=data["goal"],
                    comments_allowed=data["comments_allowed"],
                    media_ids=[*data["media"], *new_ids],
                    remove_media_ids=[int(v) for v in request.POST.getlist("remove_media") if v.isdigit()],
                    publish="publish" in request.POST,
                    entry=entry,
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Dokumentationen är publicerad.")
                    if saved.state == Entry.State.PUBLISHED
                    else _("Utkastet är sparat."),
                )
                return redirect("portfolio:entry-detail", saved.pk)
    elif request.method == "POST":
        form.add_error(None, _("Rätta felen nedan."))
    return render(
        request,
        "portfolio/entry_form.html",
        {
            "form": form,
            "group": group,
            "entry": entry,
            "without_consent": split.without_consent,
            "media": selectors.entry_form_media(entry=entry),
            "upload_url": reverse("portfolio:media-upload", args=[group.unit_id]),
        },
    )


@sniffing_uploads
@require_http_methods(["GET", "POST"])
def entry_create(request, group_id):
    group = _group_for_documentation(request, group_id)
    return _entry_form_response(request, group=group, entry=None, initial={"comments_allowed": True})


@sniffing_uploads
@require_http_methods(["GET", "POST"])
def entry_edit(request, entry_id):
    entry = access.get_entry_for_edit(request, entry_id)
    if entry.group_id is None:
        raise Http404("Ingen grupp")
    group = _group_for_documentation(request, entry.group_id)
    initial = {
        "kind": entry.kind,
        "children": list(entry.tags.values_list("child_id", flat=True)),
        "title": entry.title,
        "body": entry.body_html,
        "goal": entry.goal,
        "comments_allowed": entry.comments_allowed,
    }
    return _entry_form_response(request, group=group, entry=entry, initial=initial)


@require_http_methods(["GET", "POST"])
def entry_delete(request, entry_id):
    entry = access.get_entry_for_edit(request, entry_id)
    if request.method == "POST":
        services.entry_delete(viewer=viewer_for(request), entry=entry)
        messages.success(request, _("Dokumentationen är borttagen."))
        return redirect("portfolio:index")
    return render(
        request,
        "portfolio/confirm_delete.html",
        {"object": entry, "cancel_url": reverse("portfolio:entry-detail", args=[entry.pk])},
    )


@require_http_methods(["GET"])
def entry_detail(request, entry_id):
    entry = access.get_entry_for_viewer(request, entry_id)
    detail = selectors.entry_detail(viewer=viewer_for(request), entry=entry)
    return render(request, "portfolio/entry_detail.html", {"d": detail, "form": CommentForm()})


@require_POST
def entry_comment(request, entry_id):
    entry = access.get_entry_for_viewer(request, entry_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_entry(viewer=viewer_for(request), entry=entry, body=form.cleaned_data["body"])
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Kommentaren är publicerad."))
            return redirect("portfolio:entry-detail", entry.pk)
    detail = selectors.entry_detail(viewer=viewer_for(request), entry=entry)
    return render(request, "portfolio/entry_detail.html", {"d": detail, "form": form}, status=400)


@require_POST
def comment_hide(request, comment_id):
    comment = access.get_comment_for_moderation(request, comment_id)
    services.comment_hide(viewer=viewer_for(request), comment=comment)
    messages.success(request, _("Kommentaren är dold."))
    if comment.entry_id:
        return redirect("portfolio:entry-detail", comment.entry_id)
    return redirect("portfolio:post-detail", comment.post_id)


# --- A child's portfolio ----------------------------------------------------------------------------


@require_http_methods(["GET"])
def child_portfolio(request, child_id):
    child = access.get_child_for_viewer(request, child_id)
    year = request.GET.get("lasar", "")
    unit = request.GET.get("enhet", "")
    data = selectors.child_portfolio_page(
        child=child,
        school_year_id=int(year) if year.isdigit() else None,
        unit_id=int(unit) if unit.isdigit() else None,
        page=request.GET.get("sida"),
    )
    form = PortfolioFilterForm(request.GET or None, school_years=data.school_years, units=data.units)
    return render(request, "portfolio/child_portfolio.html", {"data": data, "child": child, "form": form})


def _zip_name(text: str) -> str:
    return slugify(text)[:60] or "utan-namn"


@require_http_methods(["GET"])
def child_download(request, child_id):
    """The child's whole portfolio as a zip, one folder per school year; streamed, so a
    2 GB portfolio needs no more memory than a small one. Audited."""
    child = access.get_child_for_viewer(request, child_id)
    entries = selectors.portfolio_download_rows(child=child)
    services.portfolio_download_record(request=request, child=child, entries=len(entries))
    archive = ZipStream(sized=False)
    archive.comment = f"Skolhubb: {child.full_name}".encode()
    for entry in entries:
        year = entry["school_year__name"] or _("utan-lasar")
        folder = f"{year.replace('/', '-')}/{timezone.localtime(entry['published_at']):%Y-%m-%d}-{entry['pk']}-{_zip_name(entry['title'])}"
        html = render_to_string("portfolio/download/entry.html", {"entry": entry, "child": child})
        archive.add(html.encode("utf-8"), f"{folder}/text.html")
        for number, item in enumerate(entry["media"], start=1):
            if item["kind"] == Media.Kind.PHOTO:
                name, arcname = item["web"], f"{folder}/bild-{number}.jpg"
            else:
                extension = "mov" if item["content_type"] == "video/quicktime" else "mp4"
                name, arcname = item["web"], f"{folder}/film-{number}.{extension}"
            if name:
                archive.add(_storage_chunks(default_storage, name), arcname)
    response = StreamingHttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="portfolio-{_zip_name(child.full_name)}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


def _storage_chunks(storage, name, chunk: int = 256 * 1024):
    """A stored file in pieces, read only while the zip streams (constant memory). A file
    gone missing from storage leaves an empty file rather than a broken download."""
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError:
        log.warning("portfolio: %s is missing from storage", name)
        return
    with handle:
        while data := handle.read(chunk):
            yield data


# --- The blog ------------------------------------------------------------------------------------------


@require_POST
def blog_open(request, group_id):
    """Staff: open (or make) the group's blog."""
    group = _group_for_documentation(request, group_id)
    blog = services.blog_for_group(viewer=viewer_for(request), group=group)
    return redirect("portfolio:blog-detail", blog.pk)


@require_http_methods(["GET", "POST"])
def blog_settings(request, blog_id):
    blog = access.get_blog_for_viewer(request, blog_id)
    viewer = viewer_for(request)
    if not viewer.may_manage_unit(blog.unit_id):
        raise PermissionDenied
    initial = {
        "title": blog.title,
        "students_may_post": blog.students_may_post,
        "comments_allowed": blog.comments_allowed,
    }
    form = BlogSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.blog_settings_update(viewer=viewer, blog=blog, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Bloggen är sparad."))
            return redirect("portfolio:blog-detail", blog.pk)
    return render(request, "portfolio/blog_settings.html", {"form": form, "blog": blog})


@require_http_methods(["GET"])
def blog_detail(request, blog_id):
    blog = access.get_blog_for_viewer(request, blog_id)
    viewer = viewer_for(request)
    page, posts = selectors.blog_page(blog=blog, viewer=viewer, page=request.GET.get("sida"))
    return render(
        request,
        "portfolio/blog_detail.html",
        {
            "blog": blog,
            "page": page,
            "posts": posts,
            "can_post": access.may_post_in_blog(request, blog),
            "can_manage": viewer.may_manage_unit(blog.unit_id),
        },
    )


@sniffing_uploads
@require_http_methods(["GET", "POST"])
def post_create(request, blog_id):
    blog = access.get_blog_for_posting(request, blog_id)
    viewer = viewer_for(request)
    staff = viewer.may_manage_unit(blog.unit_id)
    form = PostForm(request.POST or None, request.FILES or None, allow_media=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_ids, errors = _upload_files(request, viewer, blog.unit_id, data.get("files") or [])
        for error in errors:
            form.add_error("files", error)
        if not errors:
            try:
                post = services.blog_post_create(
                    viewer=viewer,
                    blog=blog,
                    title=data["title"],
                    body=data["body"],
                    media_ids=[*(data.get("media") or []), *new_ids],
                )
            except ValidationError as exc:
                form_add_service_errors(form, exc)
            else:
                messages.success(request, _("Inlägget är publicerat."))
                return redirect("portfolio:post-detail", post.pk)
    return render(
        request,
        "portfolio/post_form.html",
        {"form": form, "blog": blog, "upload_url": reverse("portfolio:media-upload", args=[blog.unit_id])},
    )


@require_http_methods(["GET"])
def post_detail(request, post_id):
    post = access.get_post_for_viewer(request, post_id)
    viewer = viewer_for(request)
    media_items, comments, can_manage = selectors.post_detail(viewer=viewer, post=post)
    return render(
        request,
        "portfolio/post_detail.html",
        {
            "post": post,
            "media": media_items,
            "comments": comments,
            "can_manage": can_manage,
            "can_delete": can_manage or post.author_id == request.user.pk,
            "can_comment": can_manage or post.blog.comments_allowed,
            "form": CommentForm(),
        },
    )


@require_POST
def post_comment(request, post_id):
    post = access.get_post_for_viewer(request, post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_post(viewer=viewer_for(request), post=post, body=form.cleaned_data["body"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Kommentaren är publicerad."))
    else:
        messages.error(request, _("Skriv en kommentar."))
    return redirect("portfolio:post-detail", post.pk)


@require_http_methods(["GET", "POST"])
def post_delete(request, post_id):
    post = access.get_post_for_edit(request, post_id)
    if request.method == "POST":
        services.blog_post_delete(viewer=viewer_for(request), post=post)
        messages.success(request, _("Inlägget är borttaget."))
        return redirect("portfolio:blog-detail", post.blog_id)
    return render(
        request,
        "portfolio/confirm_delete.html",
        {"object": post, "cancel_url": reverse("portfolio:post-detail", args=[post.pk])},
    )
