from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.assurance import HIGH
from assessments import selectors
from hub.registry import GUARDIAN, NO_TOPICS, STUDENT, Box, register


@register
class AssessmentsBox(Box):
    """How far the child has come: a pointer to the Bedömningar page (subjects assessed,
    last update). The levels themselves are read on the page, where the read is logged."""

    key = "bedomningar"

    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Bedömningar")
    icon = "check"
    audiences = frozenset({GUARDIAN, STUDENT})
    unit_kinds = frozenset({"grundskola"})
    assurance = HIGH
    template = "assessments/boxes/assessments.jinja"
    link_name = "assessments:index"
    order = 60
    cache_version = 1
    child_cache = True
    queries = 1  # subjects assessed and the latest date, per child

    def load_for_children(self, *, viewer, children):
        return selectors.assessments_box_for_children(children=children)


@register
class GradesBox(Box):
    """When grades were or will be published (betygsdag); never the grades themselves."""

    key = "betyg"

    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Betyg")
    icon = "check"
    audiences = frozenset({GUARDIAN, STUDENT})
    unit_kinds = frozenset({"grundskola"})
    assurance = HIGH
    template = "assessments/boxes/grades.jinja"
    link_name = "assessments:index"
    order = 61
    cache_version = 1
    child_cache = True
    queries = 1  # the terms each child has grades in, with their catalogues' betygsdag

    def load_for_children(self, *, viewer, children):
        return selectors.grades_box_for_children(children=children)

    def valid_until(self, data) -> datetime | None:
        """The cached box turns stale at the next betygsdag (scheduled publishing)."""
        upcoming = (data or {}).get("upcoming")
        return upcoming["at"] if upcoming and upcoming["at"] > timezone.now() else None
