from django.utils.translation import gettext_lazy as _

from hub.registry import GUARDIAN, NO_TOPICS, STUDENT, Box, register
from school import selectors


@register
class LessonsBox(Box):
    key = "lektioner"
    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Schema")
    icon = "clock"
    audiences = frozenset({GUARDIAN, STUDENT})
    unit_kinds = frozenset({"grundskola"})
    template = "school/boxes/lessons.jinja"
    # Cached: lessons change in the admin (every admin edit voids the cache), closed days
    # through hub.services and schedules.services (they bump the unit or group).
    child_cache = True
    link_name = "school:timetable"
    order = 30
    queries = 2  # the lessons of the children's groups, the closed days

    def load_for_children(self, *, viewer, children):
        return selectors.lessons_box_for_children(children=children)


# Planeringar, Veckoplan, Uppgifter and eTest (issue 13) register themselves on import.
from school import teaching_boxes  # noqa: E402, F401
