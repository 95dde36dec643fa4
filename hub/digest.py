"""Tomorrow's calendar events (and studiedagar, lov, closed days) in the evening digest. One query."""

from __future__ import annotations

from hub.models import Event, reaching
from notifications.digest import DigestItem


def digest_items(*, children, day):
    unit_ids = set().union(*(c.unit_ids for c in children))
    group_ids = set().union(*(c.group_ids for c in children))
    events = list(
        Event.objects.filter(
            reaching(unit_ids, group_ids),
            start_date__lte=day,
            end_date__gte=day,
        ).only("id", "title", "event_type", "all_day", "start_time", "unit_id", "group_id")
    )
    items = []
    for event in events:
        for child in children:
            if event.reaches(set(child.unit_ids), set(child.group_ids)):
                when = "" if event.all_day or not event.start_time else f"{event.start_time:%H:%M} "
                items.append(
                    DigestItem(
                        child_id=child.id,
                        section=str(event.get_event_type_display()),
                        text=f"{when}{event.title}",
                        at=event.start_time,
                        order=5,
                    )
                )
    return items
