"""API routes of the Hub: my children, each Hub box's data per child, news and calendar.
Mounted by the api app under /api/v1/hub/. The same selectors and access helpers as the
pages: another family's child or news item answers 404."""

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema

from api.serialize import to_json
from hub import access, selectors
from roster.policy import viewer_for

router = Router(tags=["Hubben"])


class ChildOut(Schema):
    id: int
    name: str
    given_name: str
    is_me: bool
    placements: list[str]


class BoxOut(Schema):
    key: str
    title: str
    locked: bool
    data: object | None


class NewsOut(Schema):
    id: int
    title: str
    publish_at: datetime
    unit: str | None
    group: str | None


class NewsPageOut(Schema):
    count: int
    page: int
    pages: int
    items: list[NewsOut]


class NewsDetailOut(NewsOut):
    body: str
    links: list[dict]
    attachments: list[dict]


class EventOut(Schema):
    id: int
    title: str
    description: str
    type: str
    start_date: date
    end_date: date
    start_time: str | None
    end_time: str | None
    unit: str | None
    group: str | None


def _news(item) -> dict:
    return {
        "id": item.pk,
        "title": item.title,
        "publish_at": item.publish_at,
        "unit": item.unit.name if item.unit_id else None,
        "group": item.group.name if item.group_id else None,
    }


@router.get("/children", response=list[ChildOut], summary="Mina barn (eller jag själv som elev)")
def children(request):
    """Three queries (the viewer: children, placements, duties)."""
    viewer = viewer_for(request)
    return [
        {
            "id": c.pk,
            "name": c.full_name,
            "given_name": c.given_name,
            "is_me": c.user_id == request.user.pk,
            "placements": [
                f"{p.group.name} · {p.unit.name}" if p.group_id else p.unit.name for p in c.active_placements
            ],
        }
        for c in viewer.children
    ]


@router.get("/children/{child_id}/boxes", response=list[BoxOut], summary="Hubbens rutor för ett barn")
def child_boxes(request, child_id: int):
    """What the Hub shows for the child, box by box; a box that needs e-ID is `locked`
    (a device token is low assurance)."""
    viewer = viewer_for(request)
    dashboard = selectors.dashboard_build(request=request, viewer=viewer, selected_child_id=child_id)
    column = next((col for col in dashboard.family if col.child_id == child_id), None)
    if column is None:
        raise Http404
    return [
        {"key": view.box.key, "title": str(view.box.title), "locked": view.locked, "data": to_json(view.data)}
        for view in column.boxes
    ]


@router.get("/news", response=NewsPageOut, summary="Information (nyheter)")
def news(request, page: int = 1):
    """Three viewer queries + two (count, one page)."""
    result = selectors.news_page(viewer=viewer_for(request), page=page)
    return {
        "count": result.paginator.count,
        "page": result.number,
        "pages": result.paginator.num_pages,
        "items": [_news(item) for item in result.object_list],
    }


@router.get("/news/{news_id}", response=NewsDetailOut, summary="En nyhet")
def news_detail(request, news_id: int):
    item = access.get_news_for_viewer(request, news_id)
    extra = selectors.news_detail(news=item)
    return {
        **_news(item),
        "body": item.body,
        "links": [{"title": link.title, "url": link.url} for link in extra["links"]],
        "attachments": [{"id": a.pk, "name": a.name, "size": a.size} for a in extra["attachments"]],
    }


@router.get("/calendar", response=list[EventOut], summary="Kalender")
def calendar(request, start: date | None = None, end: date | None = None):
    """Events addressed to me between `start` and `end` (default: today and 31 days on)."""
    start = start or timezone.localdate()
    end = end or start + timedelta(days=31)
    if end < start or (end - start).days > 366:
        raise ValidationError({"end": _("Välj ett slutdatum efter startdatum, högst ett år fram.")})
    events = sorted(
        selectors.events_between(viewer=viewer_for(request), start=start, end=end), key=lambda e: e.start_date
    )
    return [
        {
            "id": e.pk,
            "title": e.title,
            "description": e.description,
            "type": e.event_type,
            "start_date": e.start_date,
            "end_date": e.end_date,
            "start_time": e.start_time.isoformat("minutes") if e.start_time else None,
            "end_time": e.end_time.isoformat("minutes") if e.end_time else None,
            "unit": e.unit.name if e.unit_id else None,
            "group": e.group.name if e.group_id else None,
        }
        for e in events
    ]
