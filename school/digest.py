"""Tomorrow's lessons in the evening digest (first and last lesson and the subjects), and
the weekly plan's "ta med" and homework when the teaching app provides
`school.selectors.weekly_items_for`. Two queries (lessons, closed days), plus the plan's."""

from __future__ import annotations

from django.utils.translation import gettext as _

from notifications.digest import DigestItem
from school import selectors


def digest_items(*, children, day):
    group_ids = set().union(*(c.school_group_ids for c in children))
    if not group_ids:
        return []
    lessons = selectors.lessons_for_groups(group_ids=group_ids)
    closed = selectors.closed_days_for(unit_ids={lesson.group.unit_id for lesson in lessons}, start=day, end=day)
    occ = selectors.occurrences(lessons=lessons, start=day, end=day, closed=closed)
    items = []
    for child in children:
        mine = [o for o in occ if o.lesson.group_id in child.school_group_ids]
        held = [o for o in mine if o.held]
        if held:
            first, last = held[0].lesson, held[-1].lesson
            subjects = ", ".join(dict.fromkeys(str(o.lesson.subject) for o in held))
            items.append(
                DigestItem(
                    child_id=child.id,
                    section=_("Skola"),
                    text=_("%(start)s–%(end)s: %(subjects)s")
                    % {"start": f"{first.start_time:%H:%M}", "end": f"{last.end_time:%H:%M}", "subjects": subjects},
                    at=first.start_time,
                    order=20,
                )
            )
        elif mine:
            items.append(
                DigestItem(
                    child_id=child.id,
                    section=_("Skola"),
                    text=_("Ingen undervisning (%(reason)s)") % {"reason": mine[0].not_held_reason},
                    order=20,
                )
            )
    weekly_items_for = getattr(selectors, "weekly_items_for", None)
    if weekly_items_for is not None:
        items += _weekly_items(weekly_items_for, children=children, day=day)
    return items


def _weekly_items(weekly_items_for, *, children, day):
    """The teaching app's weekly-plan items for the day: whatever shape they come in, a dict
    per child id of items with a text (and optionally a kind like "ta med"/"läxa")."""
    items = []
    try:
        found = weekly_items_for(child_ids=[c.id for c in children], day=day)
    except TypeError:
        return items
    for child_id, entries in (found or {}).items():
        for entry in entries:
            text = entry.get("text") if isinstance(entry, dict) else str(entry)
            kind = entry.get("kind") if isinstance(entry, dict) else ""
            if text:
                items.append(
                    DigestItem(child_id=child_id, section=str(kind or _("Veckoplanering")), text=text, order=25)
                )
    return items
