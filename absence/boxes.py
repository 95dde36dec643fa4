from django.utils.translation import gettext_lazy as _

from absence import selectors
from hub.registry import ABSENCE, GUARDIAN, PER_VIEWER_AND_UNIT, STAFF, Box, register


@register
class AbsenceBox(Box):
    """Guardians: reports ahead, leave, and the two-tap sick report. Staff: today's absent
    children in their groups (the whole unit for a principal) and their lessons today."""

    key = "franvaro"
    title = _("Frånvaro")
    icon = "user"
    audiences = frozenset({GUARDIAN, STAFF})
    template = "absence/boxes/absence.jinja"
    link_name = "absence:overview"
    order = 15
    # Cached: absence.services bumps the child (and its units) on every write. The staff side
    # shows the viewer's own groups and lessons: cached per viewer and unit.
    child_cache, unit_cache = True, PER_VIEWER_AND_UNIT
    child_topics = frozenset({ABSENCE})  # no care times or day comments (tests/test_child_topics.py)
    # Families: reports ahead with the leave applications (one UNION ALL), today's closed
    # periods and terms (one query: the Hub's shared calendar, roster.calendar.shared_calendar).
    # Staff: their groups, the children absent today with their reports, the viewer's lessons
    # today and the closed days (the Hub's shared calendar).
    queries, unit_queries = 2, 4

    def load_for_children(self, *, viewer, children):
        return selectors.absence_box_for_children(viewer=viewer, children=children)

    def load_for_units(self, *, viewer, units):
        return selectors.absence_box_for_units(viewer=viewer, units=units)
