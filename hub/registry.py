"""The Hub's box registry.

A box is a small class that declares who sees it and loads its data in bulk: one call
for *all* children (or units) in view, so the dashboard's query count does not grow with
the number of children or rows. Apps register boxes in their own `boxes.py`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from accounts.assurance import LOW

GUARDIAN = "guardian"
STUDENT = "student"
STAFF = "staff"
AUDIENCES = {GUARDIAN, STUDENT, STAFF}
# How the Hub caches a box's staff data (Box.unit_cache):
PER_UNIT = "unit"  # the same for every staff member of the unit
PER_VIEWER_AND_UNIT = "viewer"  # depends on who looks (their groups, their lessons)
ALL_UNIT_KINDS = frozenset({"forskola", "grundskola", "fritidshem"})


# Kinds of a child's data that services may bump on their own (hub.cache.bump(topic=...)).
ABSENCE = "absence"  # absence reports and leave applications (absence.services)
CARE = "care"  # care times, day comments and care-day absence marks (schedules.services)
DOCUMENTATION = "documentation"  # documentation entries about the child (portfolio.services)
CHILD_TOPICS = (ABSENCE, CARE, DOCUMENTATION)
NO_TOPICS: frozenset[str] = frozenset()


class Box:
    key: ClassVar[str]
    title: ClassVar[Any]  # lazy translated string
    icon: ClassVar[str] = "info"  # id of a symbol in static/img/icons.svg
    audiences: ClassVar[frozenset[str]] = frozenset({GUARDIAN, STUDENT, STAFF})
    unit_kinds: ClassVar[frozenset[str]] = ALL_UNIT_KINDS
    assurance: ClassVar[str] = LOW
    template: ClassVar[str]
    link_name: ClassVar[str | None] = None  # URL name of the box's own page
    order: ClassVar[int] = 100
    # --- The cache contract (see README, "Writing a Hub box") ---
    # A loader returns plain data (dicts, lists, dates, strings, numbers: no model
    # instances, no lazy querysets), computed the same whoever looks at the child. The Hub
    # caches it per child under the generations of the child, its units and groups, the
    # municipality, the date and the language; services bump those generations with
    # hub.cache.bump(...) when they change what the box shows.
    # Bump this when the shape of the data changes, so a deploy never reads old entries.
    cache_version: ClassVar[int] = 1
    # Caching is opt-in: a box is cached only once it says so, i.e. once the services that
    # change what it shows call hub.cache.bump (and a test proves it). Until then the Hub
    # loads it on every request, which is slower but never stale.
    child_cache: ClassVar[bool] = False
    # PER_UNIT, PER_VIEWER_AND_UNIT (adds the viewer's generation) or None (not cached).
    unit_cache: ClassVar[str | None] = None
    # --- The query budget (see README, "Writing a Hub box") ---
    # The most SQL queries one cold call of load_for_children runs, for all children in view
    # at once, whatever their number and the number of rows; `unit_queries` the same for
    # load_for_units. None: the box has no such loader. The whole Hub's budget is the sum of
    # these (tests/test_query_budgets.py), and each box is measured alone against its own.
    queries: ClassVar[int | None] = None
    unit_queries: ClassVar[int | None] = None
    # Boxes whose loaders share one bulk load per request (computed once, kept on the viewer)
    # name it alike: the budget counts the shared load once.
    shared_load: ClassVar[str | None] = None
    # The kinds of a child's data (CHILD_TOPICS) the box shows. None, the default: all of
    # them, so any change to the child reloads the box. A box that names fewer keeps its
    # entry when a service bumps only another topic (hub.cache.bump(topic=...)): a sick
    # report reloads the Frånvaro and care boxes, not the news, the blog or the timetable.
    # tests/test_child_topics.py proves the claim: the box's data does not change when the
    # topics it leaves out do.
    child_topics: ClassVar[frozenset[str] | None] = None

    def load_for_children(self, *, viewer, children: list) -> dict[int, Any]:
        """Data per child id, for all children at once. Empty data hides the box.
        Must not depend on the viewer: two guardians of one child share the entry."""
        return {}

    def load_for_units(self, *, viewer, units: list) -> dict[int, Any]:
        """Data per unit id, for staff, for all units at once."""
        return {}

    def valid_until(self, data: Any):
        """An aware datetime after which `data` is out of date by the clock alone (a news
        item scheduled to appear at 08:00), or None. Writes never rely on this."""
        return None


class BoxRegistry:
    def __init__(self):
        self._boxes: dict[str, Box] = {}

    def register(self, box_class: type[Box]) -> type[Box]:
        key = box_class.key
        if key in self._boxes and type(self._boxes[key]) is not box_class:
            raise ValueError(f"Hub box {key!r} is registered twice")
        unknown = set(box_class.audiences) - AUDIENCES
        if unknown:
            raise ValueError(f"Hub box {key!r}: unknown audiences {unknown}")
        self._boxes[key] = box_class()
        return box_class

    def unregister(self, key: str) -> None:
        self._boxes.pop(key, None)

    def get(self, key: str) -> Box | None:
        return self._boxes.get(key)

    def all(self) -> list[Box]:
        return sorted(self._boxes.values(), key=lambda b: (b.order, b.key))

    def choices(self) -> list[tuple[str, str]]:
        return [(box.key, str(box.title)) for box in self.all()]


registry = BoxRegistry()
register = registry.register
