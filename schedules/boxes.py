from django.utils.translation import gettext_lazy as _

from hub.registry import GUARDIAN, PER_UNIT, STAFF, Box, register
from schedules import selectors


class _ScheduleBox(Box):
    icon = "clock"
    audiences = frozenset({GUARDIAN, STAFF})
    template = "schedules/boxes/schedule.jinja"
    # Cached: schedules.services bumps the child (and so its units) on every write.
    child_cache, unit_cache = True, PER_UNIT
    link_name = "schedules:overview"
    order = 15
    kind: str
    # Families: base schedules, day changes and unread comments in one query, then the closed
    # days. Staff: placements and, beside them, the same one query asked by the units, then the
    # closed days. The closed days come from the Hub's shared calendar: a query only when this
    # box is the first to ask (in the whole Hub the Frånvaro box, loaded before it, has asked:
    # none). One load for both boxes.
    queries, unit_queries = 2, 3
    shared_load = "schedules"

    def load_for_children(self, *, viewer, children):
        # Both boxes share one bulk load per request (see hub_days_for_children).
        days = selectors.hub_days_for_children(viewer=viewer, children=children)
        wanted = {c.pk for c in children}
        return {cid: by_kind[self.kind] for cid, by_kind in days.items() if cid in wanted and self.kind in by_kind}

    def load_for_units(self, *, viewer, units):
        summary = selectors.hub_units_summary(viewer=viewer, units=units)
        return {u.pk: summary[u.pk] for u in units if u.pk in summary and u.kind == self.kind}


@register
class PreschoolScheduleBox(_ScheduleBox):
    key = "schema-forskola"
    title = _("Omsorgstider")
    unit_kinds = frozenset({"forskola"})
    kind = "forskola"


@register
class AfterschoolScheduleBox(_ScheduleBox):
    key = "schema-fritids"
    title = _("Omsorgstider")
    unit_kinds = frozenset({"fritidshem"})
    kind = "fritidshem"
    order = 16
