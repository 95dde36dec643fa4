from django.utils.translation import gettext_lazy as _

from bookings import selectors
from hub.registry import GUARDIAN, NO_TOPICS, Box, register


@register
class TalksBox(Box):
    """Guardians only, and only when there is something: a slot to book for the child or a
    booked talk ahead."""

    key = "utvecklingssamtal"

    child_topics = NO_TOPICS  # shows none of the child topics (tests/test_child_topics.py)
    title = _("Utvecklingssamtal")
    icon = "calendar"
    audiences = frozenset({GUARDIAN})
    unit_kinds = frozenset({"forskola", "grundskola"})
    template = "bookings/boxes/talks.jinja"
    link_name = "bookings:overview"
    order = 40
    cache_version = 1
    child_cache = True
    queries = 1  # the coming slots: free in the children's groups, or booked for one of them

    def load_for_children(self, *, viewer, children):
        return selectors.box_for_children(children=children)

    def valid_until(self, data):
        # The box changes when a deadline or a booked talk passes.
        moments = [r["deadline"] for r in data.get("bookable", [])] + [b["starts_at"] for b in data.get("bookings", [])]
        return min(moments) if moments else None
