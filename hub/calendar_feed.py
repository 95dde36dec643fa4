"""Hub's contribution to the family feed: the calendar events addressed to each child
(municipality, unit, group), studiedagar and lov included. One query."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from hub.feed import FeedEvent
from hub.models import Event


def feed_events(*, children, start, end) -> list[FeedEvent]:
    unit_ids = set().union(*(c.unit_ids for c in children))
    group_ids = set().union(*(c.group_ids for c in children))
    rows = list(
        Event.objects.filter(
            Q(unit__isnull=True) | Q(unit_id__in=unit_ids, group__isnull=True) | Q(group_id__in=group_ids),
            start_date__lte=end,
            end_date__gte=start,
        ).only(
            "id",
            "title",
            "description",
            "event_type",
            "all_day",
            "start_date",
            "end_date",
            "start_time",
            "end_time",
            "unit_id",
            "group_id",
            "updated_at",
        )
    )
    result = []
    for event in rows:
        for child in children:
            if not event.reaches(set(child.unit_ids), set(child.group_ids)):
                continue
            if event.all_day or not event.start_time:
                begin, finish = event.start_date, event.end_date + timedelta(days=1)
            else:
                begin = timezone.make_aware(datetime.combine(event.start_date, event.start_time))
                finish = timezone.make_aware(datetime.combine(event.end_date, event.end_time or event.start_time))
            result.append(
                FeedEvent(
                    uid=f"hub-event-{event.pk}",
                    child_id=child.id,
                    summary=event.title,
                    start=begin,
                    end=finish,
                    description=event.description,
                    stamp=event.updated_at,
                    categories=[str(event.get_event_type_display())],
                )
            )
    return result
