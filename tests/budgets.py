"""The Hub's query budget, derived from what each box declares (`Box.queries`,
`Box.unit_queries`, `Box.shared_load` in APP/boxes.py); no list of apps or boxes here.

    with hub_queries() as hub:
        response = client.get(reverse("hub:dashboard"))
    hub.assert_within_budget(response)

`hub_queries()` counts the queries of the whole request and, separately, those of every box
loader the Hub calls. `assert_within_budget` then fails when a box's loader ran more than it
declares, or when the Hub ran anything besides its fixed base and its boxes' loaders; so the
whole Hub stays within the sum of what its boxes declare (`hub.declared`)."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from greenlet import getcurrent

from config.statements import answering
from hub.registry import Box, registry

# Sessions live in the database without Redis and in Redis (no SQL) with it.
SESSION = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
# The Hub without any box: 1 session (database sessions only), 2 user, 3 own children with
# their active placements (with unit, group and the unit's Hub box settings), 4 staff duties
# (with unit and its settings).
HUB_BASE = SESSION + 3
# The viewer (roster.policy.viewer_build): own children with their active placements, duties.
VIEWER = 2
# The logged-in user's row when it is not in the cache (accounts.backends): a cold page's
# second query. Warm, it comes from the cache with the viewer.
USER = 1
# A warm Hub: the session (database sessions only). Nothing else: the user's row, the viewer
# (with the units' box settings) and every box's data come from the cache, in one round trip.
WARM_HUB = SESSION
LOADERS = {False: "load_for_children", True: "load_for_units"}


def declared(box: Box, *, units: bool) -> int | None:
    return box.unit_queries if units else box.queries


def has_loader(box: Box, *, units: bool) -> bool:
    name = LOADERS[units]
    return getattr(type(box), name) is not getattr(Box, name)


@dataclass
class LoaderCall:
    box: Box
    units: bool  # load_for_units (staff) or load_for_children
    queries: int  # what the call ran
    data: Any

    @property
    def load(self) -> tuple[str, bool]:
        """Calls of boxes that share a load are budgeted together."""
        return (self.box.shared_load or self.box.key, self.units)


@dataclass
class HubQueries:
    calls: list[LoaderCall] = field(default_factory=list)
    total: int = 0

    def loads(self) -> dict[tuple[str, bool], dict]:
        grouped: dict[tuple[str, bool], dict] = {}
        for call in self.calls:
            load = grouped.setdefault(call.load, {"boxes": [], "ran": 0, "declared": 0})
            load["boxes"].append(call.box.key)
            load["ran"] += call.queries
            cost = declared(call.box, units=call.units)
            load["declared"] = None if cost is None or load["declared"] is None else max(load["declared"], cost)
        return grouped

    @property
    def loaders(self) -> int:
        """What the box loaders ran."""
        return sum(call.queries for call in self.calls)

    @property
    def declared(self) -> int:
        """What the boxes the Hub asked declare (a shared load counted once)."""
        return sum(load["declared"] or 0 for load in self.loads().values())

    def problems(self, base: int) -> list[str]:
        found = []
        for (_key, units), load in self.loads().items():
            side = "load_for_units" if units else "load_for_children"
            boxes = " + ".join(load["boxes"])
            if load["declared"] is None:
                found.append(f"{boxes}: {side} declares no query budget (Box.{'unit_' if units else ''}queries)")
            elif load["ran"] > load["declared"]:
                found.append(f"{boxes}: {side} ran {load['ran']} queries, declares {load['declared']}")
        if self.total - self.loaders != base:
            found.append(f"the Hub ran {self.total - self.loaders} queries besides its boxes' loaders, not {base}")
        return found

    def assert_within_budget(self, response, base: int | None = None) -> None:
        base = HUB_BASE if base is None else base
        problems = self.problems(base)
        assert not problems, "\n".join(problems)
        assert self.total <= base + self.declared


@contextmanager
def hub_queries():
    """Count a request's queries and those of each box loader it calls (the real loaders,
    wrapped in place on the registry's boxes for the duration)."""
    measured = HubQueries()
    boxes = registry.all()
    # The Hub runs its boxes' loaders side by side (config.statements.together), and their
    # statements run together: each query counts against the loader it runs for.
    running: dict[Any, list[LoaderCall]] = {}

    def wrap(box: Box, units: bool):
        original = getattr(box, LOADERS[units])

        def loader(**kwargs):
            call = LoaderCall(box=box, units=units, queries=0, data=None)
            mine = running.setdefault(getcurrent(), [])
            mine.append(call)
            try:
                call.data = original(**kwargs)
            finally:
                mine.pop()
            measured.calls.append(call)
            return call.data

        return loader

    def counting(execute, sql, params, many, context):
        who = answering()  # a loader's own parts run together in greenlets of its own
        while who is not None and not running.get(who):
            who = who.parent
        if who is not None:
            running[who][-1].queries += 1
        return execute(sql, params, many, context)

    try:
        for box in boxes:
            for units, name in LOADERS.items():
                setattr(box, name, wrap(box, units))  # an instance attribute hides the method
        with CaptureQueriesContext(connection) as whole, connection.execute_wrapper(counting):
            yield measured
        measured.total = len(whole)
    finally:
        for box in boxes:
            for name in LOADERS.values():
                box.__dict__.pop(name, None)


def cold() -> None:
    """Void the cached viewers and boxes (not the sessions, which may live in the cache too)."""
    from config import generations

    generations.bump_everything()


def cold_hub(client):
    """The whole Hub, cold, checked against its boxes' budgets: (response, HubQueries)."""
    from django.urls import reverse

    cold()
    with hub_queries() as hub:
        response = client.get(reverse("hub:dashboard"))
    assert response.status_code == 200
    hub.assert_within_budget(response)
    return response, hub
