from django.core.exceptions import PermissionDenied
from django.http import Http404

from hub.models import Event, NewsAttachment, NewsItem
from hub.selectors import news_visible
from roster.policy import viewer_for


def get_news_for_viewer(request, news_id) -> NewsItem:
    """A news item the viewer may read (published and addressed to them, or in a unit they
    manage), with unit, group and author; 404 otherwise."""
    news = news_visible(viewer_for(request)).select_related("unit", "group", "author").filter(pk=news_id).first()
    if news is None:
        raise Http404("Ingen nyhet")
    return news


def get_news_for_edit(request, news_id) -> NewsItem:
    news = get_news_for_viewer(request, news_id)
    if not viewer_for(request).may_manage_unit(news.unit_id):
        raise PermissionDenied
    return news


def get_attachment_for_viewer(request, attachment_id) -> NewsAttachment:
    attachment = NewsAttachment.objects.filter(pk=attachment_id, news__in=news_visible(viewer_for(request))).first()
    if attachment is None:
        raise Http404("Ingen bilaga")
    return attachment


def get_event_for_viewer(request, event_id) -> Event:
    event = Event.objects.for_viewer(viewer_for(request)).select_related("unit", "group").filter(pk=event_id).first()
    if event is None:
        raise Http404("Ingen händelse")
    return event


def get_event_for_edit(request, event_id) -> Event:
    event = get_event_for_viewer(request, event_id)
    if not viewer_for(request).may_manage_unit(event.unit_id):
        raise PermissionDenied
    return event
