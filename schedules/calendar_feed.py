"""Care times (omsorgstider) in the family feed (closed days are added once, by hub's feed
from roster.ClosedPeriod).
Queries: ScheduleData's 4, for all children and days at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from hub.feed import FeedEvent
from schedules.selectors import ScheduleData

# Care times change often: the feed shows a window around today rather than the whole term.
DAYS_BACK, DAYS_AHEAD = 7, 28


def feed_events(*, children, start, end) -> list[FeedEvent]:
    care = [c for c in children if c.care_unit_ids]
    if not care:
        return []
    today = timezone.localdate()
    start, end = max(start, today - timedelta(days=DAYS_BACK)), min(end, today + timedelta(days=DAYS_AHEAD))
    data = ScheduleData(child_ids=[c.id for c in care], start=start, end=end, today=today)
    result = []
    for child in care:
        day = start
        while day <= end:
            resolved = data.day(child.id, day)
            if resolved.status == "times" and not resolved.absent:
                result.append(
                    FeedEvent(
                        uid=f"schedules-care-{day:%Y%m%d}",
                        child_id=child.id,
                        summary=_("Omsorg %(times)s") % {"times": resolved.label},
                        start=timezone.make_aware(datetime.combine(day, resolved.start)),
                        end=timezone.make_aware(datetime.combine(day, resolved.end)),
                        location=resolved.placement.unit.name if resolved.placement else "",
                        stamp=resolved.entry.updated_at if resolved.entry else None,
                    )
                )
            day += timedelta(days=1)
    return result
