"""Hub's contribution to the family feed: the calendar events addressed to each child
(municipality, unit, group), and the studiedagar, closed days and lov that concern the child
(stored once in roster, read through roster.calendar). Two queries."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from hub.feed import FeedEvent
from hub.models import Event, reaching
from roster.calendar import calendar_for


def feed_events(*, children, start, end) -> list[FeedEvent]:
    unit_ids = set().union(*(c.unit_ids for c in children))
    group_ids = set().union(*(c.group_ids for c in children))
    rows = list(
        Event.objects.filter(
            reaching(unit_ids, group_ids),
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
    result += _closure_events(children=children, start=start, end=end, unit_ids=unit_ids)
    return result


def _closure_events(*, children, start, end, unit_ids) -> list[FeedEvent]:
    """Closed days of the child's units; lov for children at a school (care stays open)."""
    closures = calendar_for(start=start, end=end, unit_ids=unit_ids, with_terms=False).closures
    result = []
    for closure in closures:
        for child in children:
            at_school = bool(set(child.unit_ids) - set(child.care_unit_ids))
            if closure.unit_id is not None and closure.unit_id not in child.unit_ids:
                continue
            if closure.group_id is not None and closure.group_id not in child.group_ids:
                continue
            if closure.is_lov and not at_school:
                continue
            result.append(
                FeedEvent(
                    uid=f"roster-closed-{closure.pk}",
                    child_id=child.id,
                    summary=closure.label,
                    start=closure.start,
                    end=closure.end + timedelta(days=1),
                    description=closure.description,
                    categories=[closure.kind_label],
                )
            )
    return result
