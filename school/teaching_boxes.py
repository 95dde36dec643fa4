"""Hub boxes of plannings, the weekly plan, assignments and eTest (imported by school/boxes.py).

Loaders take all children at once and return plain data (see teaching_selectors); each
states its query count there. Services bump the group (or the child) they change.
"""

from django.utils.translation import gettext_lazy as _

from hub.registry import GUARDIAN, NO_TOPICS, STUDENT, Box, register
from school import teaching_selectors as selectors


class _TeachingBox(Box):
    audiences = frozenset({GUARDIAN, STUDENT})
    unit_kinds = frozenset({"grundskola"})
    cache_version = 1
    child_cache = True

    def valid_until(self, data):
        """Scheduled publishing and deadlines change the box during the day."""
        return data.get("valid_until") if isinstance(data, dict) else None


@register
class WeeklyPlanBox(_TeachingBox):
    key = "veckoplan"
    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Veckoplan")
    icon = "calendar"
    template = "school/boxes/weekly.jinja"
    link_name = "school:weekly"
    order = 31
    queries = 1  # this and next week's plans joined to their items of today and tomorrow

    def load_for_children(self, *, viewer, children):
        return selectors.weekly_box_for_children(children=children)


@register
class PlanningsBox(_TeachingBox):
    key = "planeringar"
    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Planeringar")
    icon = "info"
    template = "school/boxes/plannings.jinja"
    link_name = "school:plannings"
    order = 32
    queries = 1  # the published plannings of the children's groups running this week

    def load_for_children(self, *, viewer, children):
        return selectors.plannings_box_for_children(children=children)


@register
class AssignmentsBox(_TeachingBox):
    key = "uppgifter"
    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Uppgifter")
    icon = "check"
    template = "school/boxes/assignments.jinja"
    link_name = "school:assignments"
    order = 33
    queries = 1  # open assignments with (subqueries) their chosen pupils and the children's submissions

    def load_for_children(self, *, viewer, children):
        return selectors.assignments_box_for_children(children=children)


@register
class ETestBox(_TeachingBox):
    key = "etest"
    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("eTest")
    icon = "clock"
    audiences = frozenset({STUDENT})  # never guardians: the tests are the student's own
    template = "school/boxes/etest.jinja"
    link_name = "school:etests"
    order = 34
    queries = 1  # the groups' published tests with (a subquery) whether each child has finished

    def load_for_children(self, *, viewer, children):
        return selectors.etest_box_for_children(children=children)
