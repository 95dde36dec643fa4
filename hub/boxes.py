from django.utils.translation import gettext_lazy as _

from hub import selectors
from hub.registry import NO_TOPICS, PER_UNIT, Box, register


@register
class InformationBox(Box):
    key = "information"
    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Information")
    icon = "megaphone"
    template = "hub/boxes/information.jinja"
    # Cached: hub.services bumps the audience of every news item it writes.
    child_cache, unit_cache = True, PER_UNIT
    link_name = "hub:news-list"
    order = 10
    # The newest news per audience, one query for the children and one for the staff units.
    queries = unit_queries = 1

    def load_for_children(self, *, viewer, children):
        return selectors.news_box_for_children(viewer=viewer, children=children)

    def load_for_units(self, *, viewer, units):
        return selectors.news_box_for_units(viewer=viewer, units=units)

    def valid_until(self, data):
        # A scheduled item appears (or an item expires) by the clock, without a write.
        return data["valid_until"]


@register
class CalendarBox(Box):
    key = "kalender"
    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Kalender")
    icon = "calendar"
    template = "hub/boxes/calendar.jinja"
    # Cached: hub.services bumps the audience of every event it writes.
    child_cache, unit_cache = True, PER_UNIT
    link_name = "hub:calendar"
    order = 20
    # Events, and closed periods (studiedag, lov: roster.calendar).
    queries = unit_queries = 2

    def load_for_children(self, *, viewer, children):
        return selectors.events_box_for_children(viewer=viewer, children=children)

    def load_for_units(self, *, viewer, units):
        return selectors.events_box_for_units(viewer=viewer, units=units)
