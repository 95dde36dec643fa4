"""Lessons and the weekly plan in the family feed: each school child's weekly timetable as
dated events (not held on holidays and closed days), and the published weekly-plan items
(homework, things to bring, tests, events) as all-day events. Three queries (lessons,
closed days, weekly items) for all children."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from hub.feed import FeedEvent
from school.selectors import closed_days_for, lessons_for_groups, occurrences

# A timetable can change from term to term: the feed carries the coming four weeks.
DAYS_BACK, DAYS_AHEAD = 7, 28


def feed_events(*, children, start, end) -> list[FeedEvent]:
    group_ids = set().union(*(c.group_ids for c in children))
    if not group_ids:
        return []
    return _lesson_events(children, group_ids, start, end) + _weekly_item_events(children, group_ids, start, end)


def _weekly_item_events(children, group_ids, start, end) -> list[FeedEvent]:
    """One query: published weekly-plan items of the children's groups in [start, end]."""
    from school.teaching_models import WeeklyItem

    labels = dict(WeeklyItem.Kind.choices)
    rows = WeeklyItem.objects.filter(
        plan__group_id__in=group_ids, plan__publish_at__lte=timezone.now(), day__range=(start, end)
    ).values("id", "day", "kind", "text", "plan__group_id", "updated_at")
    result = []
    for row in rows:
        for child in children:
            if row["plan__group_id"] in child.group_ids:
                result.append(
                    FeedEvent(
                        uid=f"school-weekly-{row['id']}",
                        child_id=child.id,
                        summary=f"{labels[row['kind']]}: {row['text']}",
                        start=row["day"],
                        end=row["day"] + timedelta(days=1),
                        stamp=row["updated_at"],
                    )
                )
    return result


def _lesson_events(children, group_ids, start, end) -> list[FeedEvent]:
    today = timezone.localdate()
    start, end = max(start, today - timedelta(days=DAYS_BACK)), min(end, today + timedelta(days=DAYS_AHEAD))
    lessons = [lesson for lesson in lessons_for_groups(group_ids=group_ids) if lesson.group.unit.kind == "grundskola"]
    if not lessons:
        return []
    closed = closed_days_for(unit_ids={lesson.group.unit_id for lesson in lessons}, start=start, end=end)
    result = []
    for occ in occurrences(lessons=lessons, start=start, end=end, closed=closed):
        if not occ.held:
            continue
        lesson = occ.lesson
        teacher = lesson.teacher.get_full_name() if lesson.teacher else ""
        for child in children:
            if lesson.group_id not in child.group_ids:
                continue
            result.append(
                FeedEvent(
                    uid=f"school-lesson-{lesson.pk}-{occ.day:%Y%m%d}",
                    child_id=child.id,
                    summary=str(lesson.subject),
                    start=occ.starts_at,
                    end=occ.ends_at,
                    location=lesson.room,
                    description=teacher,
                    stamp=lesson.updated_at,
                )
            )
    return result
