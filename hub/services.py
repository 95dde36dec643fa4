"""Writes for news and calendar events. Each validates, checks the viewer's right to
publish to the audience (a crafted POST is refused here, not only in the form), writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from config.uploads import sniff_file
from hub.models import Event, NewsAttachment, NewsItem, NewsLink
from roster.models import Group, Unit
from roster.policy import Viewer

ALLOWED_ATTACHMENT_SUFFIXES = {
    "pdf",
    "doc",
    "docx",
    "odt",
    "xls",
    "xlsx",
    "ods",
    "ppt",
    "pptx",
    "odp",
    "txt",
    "rtf",
    "jpg",
    "jpeg",
    "png",
}


@dataclass(frozen=True)
class Audience:
    unit: Unit | None
    group: Group | None


def audience_resolve(*, viewer: Viewer, value: str) -> Audience:
    """'all', 'unit:<id>' or 'group:<id>' → the audience, if the viewer may publish to it."""
    value = (value or "").strip()
    if value == "all":
        if not viewer.may_publish_municipality_wide:
            raise PermissionDenied(_("Du får inte publicera till hela kommunen."))
        return Audience(unit=None, group=None)
    kind, _sep, raw_id = value.partition(":")
    if kind not in {"unit", "group"} or not raw_id.isdigit():
        raise ValidationError({"audience": _("Välj vilka som ska se det här.")})
    if kind == "unit":
        unit = Unit.objects.filter(pk=int(raw_id)).first()
        group = None
    else:
        group = Group.objects.select_related("unit").filter(pk=int(raw_id)).first()
        unit = group.unit if group else None
    if unit is None:
        raise ValidationError({"audience": _("Välj vilka som ska se det här.")})
    if not viewer.may_manage_unit(unit.pk):
        raise PermissionDenied(_("Du får bara publicera för enheter där du arbetar."))
    return Audience(unit=unit, group=group)


def _require_manage(viewer: Viewer, item) -> None:
    if not viewer.may_manage_unit(item.unit_id):
        raise PermissionDenied(_("Du får inte ändra det här."))


def _clean_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Rubriken måste fyllas i.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Rubriken får vara högst 200 tecken.")})
    return title


def links_parse(text: str) -> list[tuple[str, str]]:
    """Lines of 'https://adress Beskrivning' (the description is optional)."""
    result = []
    validate = URLValidator(schemes=["http", "https"])
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        url, _sep, title = line.partition(" ")
        try:
            validate(url)
        except ValidationError as exc:
            raise ValidationError(
                {"links": _("Rad %(n)d är ingen giltig webbadress (börja med https://).") % {"n": number}}
            ) from exc
        result.append((title.strip() or url, url))
    return result


def _check_files(files) -> None:
    for upload in files:
        suffix = PurePath(upload.name).suffix.lower().lstrip(".")
        if suffix not in ALLOWED_ATTACHMENT_SUFFIXES:
            raise ValidationError(
                {
                    "files": _("Filtypen .%(suffix)s är inte tillåten. Använd t.ex. PDF, Word, Excel eller bilder.")
                    % {"suffix": suffix or "?"}
                }
            )
        if upload.size > settings.SKOLHUBB_ATTACHMENT_MAX_BYTES:
            raise ValidationError(
                {
                    "files": _("%(name)s är för stor (högst %(mb)d MB).")
                    % {"name": upload.name, "mb": settings.SKOLHUBB_ATTACHMENT_MAX_BYTES // (1024 * 1024)}
                }
            )


def _check_publish_window(publish_at: datetime, expires_at: datetime | None) -> None:
    if expires_at is not None and expires_at <= publish_at:
        raise ValidationError({"expires_at": _("Slutdatum för visning måste vara efter publiceringen.")})


def _save_links_and_files(news: NewsItem, links: list[tuple[str, str]], files) -> None:
    NewsLink.objects.bulk_create([NewsLink(news=news, title=t, url=u) for t, u in links])
    for upload in files:
        NewsAttachment.objects.create(
            news=news,
            file=upload,
            name=PurePath(upload.name).name[:200],
            size=upload.size,
            # Decided from the bytes, not from the browser's Content-Type (config.uploads).
            content_type=sniff_file(upload, upload.name),
        )


@transaction.atomic
def news_create(
    *,
    viewer: Viewer,
    title: str,
    body: str,
    audience: str,
    publish_at: datetime,
    expires_at: datetime | None = None,
    links: str = "",
    files=(),
) -> NewsItem:
    target = audience_resolve(viewer=viewer, value=audience)
    title = _clean_title(title)
    parsed_links = links_parse(links)
    _check_publish_window(publish_at, expires_at)
    _check_files(files)
    news = NewsItem.objects.create(
        title=title,
        body=(body or "").strip(),
        unit=target.unit,
        group=target.group,
        author=viewer.user,
        publish_at=publish_at,
        expires_at=expires_at,
    )
    _save_links_and_files(news, parsed_links, files)
    return news


@transaction.atomic
def news_update(
    *,
    viewer: Viewer,
    news: NewsItem,
    title: str,
    body: str,
    audience: str,
    publish_at: datetime,
    expires_at: datetime | None = None,
    links: str = "",
    files=(),
    remove_attachment_ids=(),
) -> NewsItem:
    _require_manage(viewer, news)
    target = audience_resolve(viewer=viewer, value=audience)
    title = _clean_title(title)
    parsed_links = links_parse(links)
    _check_publish_window(publish_at, expires_at)
    _check_files(files)
    news.title, news.body = title, (body or "").strip()
    news.unit, news.group = target.unit, target.group
    news.publish_at, news.expires_at = publish_at, expires_at
    news.save()
    news.links.all().delete()
    for attachment in news.attachments.filter(pk__in=list(remove_attachment_ids)):
        attachment.file.delete(save=False)
        attachment.delete()
    _save_links_and_files(news, parsed_links, files)
    return news


@transaction.atomic
def news_delete(*, viewer: Viewer, news: NewsItem) -> None:
    _require_manage(viewer, news)
    names = [a.file.name for a in news.attachments.all()]
    storage = NewsAttachment._meta.get_field("file").storage
    news.delete()
    transaction.on_commit(lambda: [storage.delete(name) for name in names])


def _clean_event_times(
    *, all_day: bool, start_date: date, end_date: date | None, start_time: time | None, end_time: time | None
) -> tuple[date, time | None, time | None]:
    end_date = end_date or start_date
    if end_date < start_date:
        raise ValidationError({"end_date": _("Slutdatum kan inte vara före startdatum.")})
    if all_day:
        return end_date, None, None
    if start_time is None:
        raise ValidationError({"start_time": _("Ange en starttid, eller markera händelsen som heldag.")})
    if end_time is not None and end_date == start_date and end_time <= start_time:
        raise ValidationError({"end_time": _("Sluttiden måste vara efter starttiden.")})
    return end_date, start_time, end_time


def _event_fields(
    *,
    viewer: Viewer,
    title: str,
    description: str,
    event_type: str,
    audience: str,
    all_day: bool,
    start_date: date,
    end_date: date | None,
    start_time: time | None,
    end_time: time | None,
) -> dict:
    """Validated field values for an event; the same rules for creating and changing."""
    target = audience_resolve(viewer=viewer, value=audience)
    title = _clean_title(title)
    if event_type not in Event.Type.values:
        raise ValidationError({"event_type": _("Välj en typ av händelse.")})
    end_date, start_time, end_time = _clean_event_times(
        all_day=all_day, start_date=start_date, end_date=end_date, start_time=start_time, end_time=end_time
    )
    return {
        "title": title,
        "description": (description or "").strip(),
        "event_type": event_type,
        "unit": target.unit,
        "group": target.group,
        "all_day": all_day,
        "start_date": start_date,
        "end_date": end_date,
        "start_time": start_time,
        "end_time": end_time,
    }


@transaction.atomic
def event_create(
    *,
    viewer: Viewer,
    title: str,
    description: str,
    event_type: str,
    audience: str,
    all_day: bool,
    start_date: date,
    end_date: date | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
) -> Event:
    fields = _event_fields(
        viewer=viewer,
        title=title,
        description=description,
        event_type=event_type,
        audience=audience,
        all_day=all_day,
        start_date=start_date,
        end_date=end_date,
        start_time=start_time,
        end_time=end_time,
    )
    return Event.objects.create(**fields, created_by=viewer.user)


@transaction.atomic
def event_update(
    *,
    viewer: Viewer,
    event: Event,
    title: str,
    description: str,
    event_type: str,
    audience: str,
    all_day: bool,
    start_date: date,
    end_date: date | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
) -> Event:
    _require_manage(viewer, event)
    fields = _event_fields(
        viewer=viewer,
        title=title,
        description=description,
        event_type=event_type,
        audience=audience,
        all_day=all_day,
        start_date=start_date,
        end_date=end_date,
        start_time=start_time,
        end_time=end_time,
    )
    before = _event_when(event)
    for name, value in fields.items():
        setattr(event, name, value)
    event.save()
    if before != _event_when(event):
        event_moved_notify(event=event, old=before[0] if before[1] is None else before[2])
    return event


def _event_when(event: Event):
    start_at = None
    if not event.all_day and event.start_time:
        from django.utils import timezone

        start_at = timezone.make_aware(datetime.combine(event.start_date, event.start_time))
    return (event.start_date, event.start_time if not event.all_day else None, start_at)


def event_moved_notify(*, event: Event, old) -> None:
    """A change notification to the families the event is addressed to: "Utflykten flyttad från
    tisdag till torsdag". Unit- and group-wide events only (not the whole municipality). Three
    queries: placements, guardians, one INSERT."""
    from django.urls import reverse

    from notifications.changes import moved_text
    from notifications.services import notify
    from roster.models import Guardianship, Placement, active_q

    if event.unit_id is None:
        return
    placements = Placement.objects.filter(active_q(), unit_id=event.unit_id)
    if event.group_id:
        placements = placements.filter(group_id=event.group_id)
    guardians = (
        Guardianship.objects.filter(active_q(), child_id__in=placements.values("child_id"), guardian__is_active=True)
        .select_related("guardian")
        .distinct()
    )
    new = _event_when(event)
    notify(
        recipients=[g.guardian for g in guardians],
        kind="hub.event_changed",
        title=moved_text(what=event.title, old=old, new=new[2] or new[0]),
        url=reverse("hub:event-detail", args=[event.pk]),
        source=event,
    )


@transaction.atomic
def event_delete(*, viewer: Viewer, event: Event) -> None:
    _require_manage(viewer, event)
    event.delete()
