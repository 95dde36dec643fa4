"""Writes for documentation, the blog, comments and media. Each service validates (a
Swedish ValidationError), writes in one transaction, audits where the record is
sensitive, and tells the Hub's cache what changed."""

from __future__ import annotations

import html
import io
import logging
from collections import defaultdict
from collections.abc import Iterable
from datetime import timedelta

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import AuditEvent
from accounts.services import audit_record
from hub.registry import DOCUMENTATION
from portfolio import conf, imaging
from portfolio.models import Blog, BlogPost, Comment, Entry, EntryChild, Media
from roster.models import Child, Group, Placement, SchoolYear, active_q
from roster.policy import Viewer

log = logging.getLogger(__name__)

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}


def hub_bump(**kwargs) -> None:
    """Tell the Hub's box cache what changed (hub.cache.bump, once the Hub caches boxes;
    before that there is nothing to invalidate). A documentation entry bumps its children's
    DOCUMENTATION topic only: the Dokumentation box reloads, the child's other boxes do not."""
    try:
        from hub.cache import bump
    except ImportError:
        return
    bump(**kwargs)


def sanitize_html(text: str) -> str:
    """Rich text from staff: paragraphs, lists, links. Plain text (no tags) becomes
    paragraphs; everything goes through nh3, so no script, style or event handler survives."""
    text = (text or "").strip()
    if "<" not in text:
        paragraphs = [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]
        text = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


# --- Media -----------------------------------------------------------------------------------


def media_upload(*, viewer: Viewer, unit_id: int, uploaded) -> Media:
    """Store an uploaded photo or video for later processing. Judged by its content,
    never its name; refused files are stored nowhere."""
    if not viewer.may_manage_unit(unit_id):
        raise PermissionDenied
    uploaded.seek(0)
    head = uploaded.read(imaging.SNIFF_BYTES)
    uploaded.seek(0)
    found = imaging.sniff(head)
    if found is None:
        raise ValidationError(
            _("Filen %(name)s är inte en bild (JPEG, PNG, HEIC, WebP) eller video (MP4, MOV).")
            % {"name": uploaded.name}
        )
    limit = conf.get("PORTFOLIO_PHOTO_MAX_BYTES" if found.kind == imaging.PHOTO else "PORTFOLIO_VIDEO_MAX_BYTES")
    if uploaded.size > limit:
        raise ValidationError(
            _("Filen %(name)s är för stor (högst %(mb)s MB).") % {"name": uploaded.name, "mb": limit // (1024 * 1024)}
        )
    if found.kind == imaging.PHOTO:
        try:
            imaging.verify_photo_header(uploaded)
        except Exception as exc:  # noqa: BLE001 - any decoder error means "not a usable image"
            raise ValidationError(_("Bilden %(name)s går inte att läsa.") % {"name": uploaded.name}) from exc
        uploaded.seek(0)
    with transaction.atomic():
        media = Media(
            unit_id=unit_id,
            uploaded_by=viewer.user,
            kind=found.kind,
            content_type=found.content_type,
            size=uploaded.size,
        )
        media.original.save(f"original.{found.extension}", uploaded, save=False)
        media.save()
        from portfolio.tasks import process_media

        process_media.delay_on_commit(media.pk)
    return media


def media_process(*, media_id: int) -> Media | None:
    """Make the renditions (never in a request). Photos: orientation applied, metadata
    removed, ~400 px thumbnail and ~1600 px web size as JPEG; the original is deleted
    unless PORTFOLIO_KEEP_ORIGINALS. Videos: a copy with the metadata boxes (GPS) zeroed,
    served with range requests, a poster when ffmpeg is installed. A corrupt image ends in
    the failed state."""
    media = Media.objects.filter(pk=media_id).first()
    if media is None or media.state != Media.State.PENDING or not media.original:
        return media
    if media.kind == Media.Kind.PHOTO:
        try:
            with media.original.open("rb") as source:
                thumb, web = imaging.photo_renditions(
                    io.BytesIO(source.read()),
                    thumb_px=conf.get("PORTFOLIO_THUMB_PX"),
                    web_px=conf.get("PORTFOLIO_WEB_PX"),
                )
        except Exception as exc:  # noqa: BLE001 - a corrupt image must not break anything else
            log.warning("portfolio: media %s could not be decoded: %s", media.pk, exc)
            media.state = Media.State.FAILED
            media.error = str(exc)[:200]
            if not conf.get("PORTFOLIO_KEEP_ORIGINALS"):
                media.original.delete(save=False)
            media.save(update_fields=["state", "error", "original", "updated_at"])
            _bump_for_media(media)
            return media
        media.thumb.save("thumb.jpg", ContentFile(thumb.data), save=False)
        media.web.save("web.jpg", ContentFile(web.data), save=False)
        media.width, media.height = web.width, web.height
        if not conf.get("PORTFOLIO_KEEP_ORIGINALS"):
            media.original.delete(save=False)
    else:
        _video_clean_copy(media)
    media.state = Media.State.READY
    media.save()
    _bump_for_media(media)
    return media


def _video_clean_copy(media: Media) -> None:
    """The served video is a copy of the upload with its metadata boxes (GPS, camera,
    dates) overwritten; copied in pieces through a temporary file, so it works the same on
    S3. A poster image when ffmpeg is installed (not required)."""
    import shutil
    import tempfile

    extension = "mov" if media.content_type == "video/quicktime" else "mp4"
    with tempfile.NamedTemporaryFile(suffix=f".{extension}") as copy:
        with media.original.open("rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        copy.seek(0)
        imaging.neutralise_video_metadata(copy)
        copy.flush()
        copy.seek(0)
        media.web.save(f"video.{extension}", File(copy), save=False)
        try:
            poster = imaging.video_poster(copy.name, web_px=conf.get("PORTFOLIO_WEB_PX"))
        except (OSError, ValueError):
            poster = None
    if poster:
        media.poster.save("poster.jpg", ContentFile(poster), save=False)
    if not conf.get("PORTFOLIO_KEEP_ORIGINALS"):
        media.original.delete(save=False)


def _bump_for_media(media: Media) -> None:
    if media.entry_id:
        hub_bump(
            child_ids=list(EntryChild.objects.filter(entry_id=media.entry_id).values_list("child_id", flat=True)),
            topic=DOCUMENTATION,
        )
    elif media.post_id:
        blog = Blog.objects.filter(posts__id=media.post_id).values("unit_id", "group_id").first()
        if blog:
            hub_bump(**({"group_ids": [blog["group_id"]]} if blog["group_id"] else {"unit_ids": [blog["unit_id"]]}))


def _attach_media(*, viewer: Viewer, unit_id: int, media_ids: Iterable[int], **owner) -> None:
    """Attach the viewer's own unattached uploads of this unit; anything else is refused."""
    media_ids = {int(m) for m in media_ids}
    if not media_ids:
        return
    mine = Media.objects.filter(
        pk__in=media_ids, unit_id=unit_id, uploaded_by=viewer.user, entry__isnull=True, post__isnull=True
    )
    if mine.count() != len(media_ids):
        raise ValidationError(_("En bild eller video hör inte till dig eller används redan."))
    for position, media in enumerate(mine.order_by("pk")):
        for key, value in owner.items():
            setattr(media, key, value)
        media.position = position
        media.save(update_fields=[*owner.keys(), "position", "updated_at"])


def media_remove(*, viewer: Viewer, media: Media) -> None:
    unit_id = media.unit_id
    if not viewer.may_manage_unit(unit_id) and media.uploaded_by_id != viewer.user.pk:
        raise PermissionDenied
    for field in (media.original, media.thumb, media.web, media.poster):
        if field:
            field.delete(save=False)
    _bump_for_media(media)
    media.delete()


def media_abandoned_remove(*, older_than_hours: int = 24) -> int:
    """Uploads that were never attached to an entry or a post, with their files."""
    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    removed = 0
    for media in Media.objects.filter(entry__isnull=True, post__isnull=True, created_at__lt=cutoff):
        for field in (media.original, media.thumb, media.web, media.poster):
            if field:
                field.delete(save=False)
        media.delete()
        removed += 1
    return removed


# --- Documentation --------------------------------------------------------------------------


def _school_year_for(day) -> SchoolYear | None:
    return SchoolYear.objects.filter(start_date__lte=day, end_date__gte=day).first()


def _check_tags(*, kind: str, group: Group, children: list[Child]) -> None:
    if not children:
        raise ValidationError({"children": _("Välj minst ett barn.")})
    if kind == Entry.Kind.INDIVIDUAL and len(children) != 1:
        raise ValidationError({"children": _("En enskild dokumentation handlar om ett barn.")})
    placed = set(
        Placement.objects.filter(active_q(), group=group, child__in=children).values_list("child_id", flat=True)
    )
    if any(c.pk not in placed for c in children):
        raise ValidationError({"children": _("Ett valt barn går inte i gruppen.")})
    if kind == Entry.Kind.GROUP:
        refused = [c for c in children if not c.photo_consent or c.protected_identity]
        if refused:
            raise ValidationError(
                {
                    "children": _(
                        "Barn utan samtycke till bilder (eller med skyddad identitet) kan inte taggas i en "
                        "gruppdokumentation: %(names)s."
                    )
                    % {"names": ", ".join(c.given_name for c in refused)}
                }
            )


@transaction.atomic
def entry_save(
    *,
    viewer: Viewer,
    group: Group,
    kind: str,
    children: list[Child],
    title: str,
    body: str,
    goal: str = "",
    comments_allowed: bool = True,
    media_ids: Iterable[int] = (),
    remove_media_ids: Iterable[int] = (),
    publish: bool = False,
    entry: Entry | None = None,
) -> Entry:
    """Create (entry=None) or change a documentation entry; `publish` publishes a draft."""
    if not viewer.may_manage_unit(group.unit_id):
        raise PermissionDenied
    if entry is not None and entry.unit_id != group.unit_id:
        raise ValidationError(_("Dokumentationen hör till en annan enhet."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Skriv en rubrik.")})
    _check_tags(kind=kind, group=group, children=children)
    now = timezone.now()
    before: set[int] = set()
    if entry is None:
        entry = Entry(unit_id=group.unit_id, author=viewer.user, school_year=_school_year_for(timezone.localdate()))
    else:
        before = set(entry.tags.values_list("child_id", flat=True))
    entry.group = group
    entry.kind = kind
    entry.title = title[:140]
    entry.body_html = sanitize_html(body)
    entry.goal = (goal or "").strip()[:200]
    entry.comments_allowed = comments_allowed
    if publish and entry.state != Entry.State.PUBLISHED:
        entry.state = Entry.State.PUBLISHED
        entry.published_at = now
        entry.school_year = _school_year_for(timezone.localdate()) or entry.school_year
    entry.save()
    chosen = {c.pk for c in children}
    EntryChild.objects.filter(entry=entry).exclude(child_id__in=chosen).delete()
    EntryChild.objects.bulk_create(
        [EntryChild(entry=entry, child_id=pk) for pk in chosen - before], ignore_conflicts=True
    )
    _attach_media(viewer=viewer, unit_id=entry.unit_id, media_ids=media_ids, entry=entry)
    for media in Media.objects.filter(entry=entry, pk__in=[int(m) for m in remove_media_ids]):
        media_remove(viewer=viewer, media=media)
    hub_bump(child_ids=sorted(chosen | before), topic=DOCUMENTATION)
    if publish:
        _notify_new_entry(entry=entry, child_ids=sorted(chosen))
    return entry


def _notify_new_entry(*, entry: Entry, child_ids: list[int]) -> None:
    """The tagged children's guardians hear about new documentation (one notification per
    guardian and child, once: published again after an edit sends nothing more)."""
    from notifications.services import notify
    from roster.models import Guardianship

    guardians: dict[int, list] = defaultdict(list)
    for guardianship in Guardianship.objects.filter(active_q(), child_id__in=child_ids).select_related(
        "guardian", "child"
    ):
        guardians[guardianship.child_id].append(guardianship)
    url = reverse("portfolio:entry-detail", args=[entry.pk])
    for child_id, rows in guardians.items():
        child = rows[0].child
        notify(
            recipients=[g.guardian for g in rows],
            kind="portfolio.new_entry",
            title=_("Ny dokumentation om %(name)s: %(title)s") % {"name": child.given_name, "title": entry.title},
            url=url,
            child=child,
            source=entry,
            dedupe_key=f"portfolio.entry:{entry.pk}:{child_id}",
        )


@transaction.atomic
def entry_delete(*, viewer: Viewer, entry: Entry) -> None:
    """Soft delete, with who and when; the entry and its media disappear from every view."""
    if not viewer.may_manage_unit(entry.unit_id):
        raise PermissionDenied
    entry.deleted_at = timezone.now()
    entry.deleted_by = viewer.user
    entry.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    hub_bump(child_ids=list(entry.tags.values_list("child_id", flat=True)), topic=DOCUMENTATION)


# --- Comments -------------------------------------------------------------------------------


def _clean_comment(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Skriv en kommentar.")})
    if len(body) > 2000:
        raise ValidationError({"body": _("Kommentaren får vara högst 2000 tecken.")})
    return body


def comment_on_entry(*, viewer: Viewer, entry: Entry, body: str) -> Comment:
    """Guardians and students of a tagged child, when the entry allows comments; staff of the unit."""
    body = _clean_comment(body)
    family = {c.pk for c in viewer.children}
    tagged = set(entry.tags.values_list("child_id", flat=True))
    may_comment = bool(family & tagged) and entry.comments_allowed and entry.is_published
    if not viewer.may_manage_unit(entry.unit_id) and not may_comment:
        raise PermissionDenied
    return Comment.objects.create(entry=entry, author=viewer.user, body=body)


def comment_on_post(*, viewer: Viewer, post: BlogPost, body: str) -> Comment:
    """Students and guardians of the blog's group (or unit), when the blog allows it; its staff."""
    body = _clean_comment(body)
    if not viewer.may_manage_unit(post.blog.unit_id) and not post.blog.comments_allowed:
        raise PermissionDenied
    comment = Comment.objects.create(post=post, author=viewer.user, body=body)
    _bump_blog(post.blog)
    return comment


@transaction.atomic
def comment_hide(*, viewer: Viewer, comment: Comment) -> Comment:
    unit_id = comment.entry.unit_id if comment.entry_id else comment.post.blog.unit_id
    if not viewer.may_manage_unit(unit_id):
        raise PermissionDenied
    if comment.hidden_at is None:
        comment.hidden_at = timezone.now()
        comment.hidden_by = viewer.user
        comment.save(update_fields=["hidden_at", "hidden_by", "updated_at"])
    return comment


# --- The blog -------------------------------------------------------------------------------


def _bump_blog(blog: Blog) -> None:
    hub_bump(**({"group_ids": [blog.group_id]} if blog.group_id else {"unit_ids": [blog.unit_id]}))


@transaction.atomic
def blog_for_group(*, viewer: Viewer, group: Group) -> Blog:
    """The group's blog, made on first use by staff of the group's unit."""
    if not viewer.may_manage_unit(group.unit_id):
        raise PermissionDenied
    blog, _created = Blog.objects.get_or_create(
        unit_id=group.unit_id, group=group, defaults={"title": _("%(group)s – blogg") % {"group": group.name}}
    )
    return blog


@transaction.atomic
def blog_settings_update(*, viewer: Viewer, blog: Blog, title: str, students_may_post: bool, comments_allowed: bool):
    if not viewer.may_manage_unit(blog.unit_id):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Skriv ett namn.")})
    blog.title = title[:120]
    blog.students_may_post = students_may_post
    blog.comments_allowed = comments_allowed
    blog.save(update_fields=["title", "students_may_post", "comments_allowed", "updated_at"])
    _bump_blog(blog)
    return blog


@transaction.atomic
def blog_post_create(*, viewer: Viewer, blog: Blog, title: str, body: str, media_ids: Iterable[int] = ()) -> BlogPost:
    staff = viewer.may_manage_unit(blog.unit_id)
    if not staff and not (blog.students_may_post and viewer.student_child is not None):
        raise PermissionDenied
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Skriv en rubrik.")})
    post = BlogPost.objects.create(
        blog=blog, author=viewer.user, title=title[:140], body_html=sanitize_html(body), published_at=timezone.now()
    )
    if media_ids and not staff:
        raise ValidationError(_("Bara personal kan lägga till bilder i bloggen."))
    _attach_media(viewer=viewer, unit_id=blog.unit_id, media_ids=media_ids, post=post)
    _bump_blog(blog)
    return post


@transaction.atomic
def blog_post_delete(*, viewer: Viewer, post: BlogPost) -> None:
    if not viewer.may_manage_unit(post.blog.unit_id) and post.author_id != viewer.user.pk:
        raise PermissionDenied
    post.deleted_at = timezone.now()
    post.deleted_by = viewer.user
    post.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    _bump_blog(post.blog)


# --- The portfolio download -----------------------------------------------------------------


def portfolio_download_record(*, request, child: Child, entries: int) -> None:
    """A guardian, the student or staff took the whole portfolio home: audited."""
    audit_record(
        request=request,
        action=AuditEvent.Action.READ,
        obj=child,
        child_id=child.pk,
        details={"what": "portfolio.download", "entries": entries},
    )
