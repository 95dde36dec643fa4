"""The Hub's box registry.

A box is a small class that declares who sees it and loads its data in bulk: one call
for *all* children (or units) in view, so the dashboard's query count does not grow with
the number of children or rows. Apps register boxes in their own `boxes.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from accounts.assurance import LOW

GUARDIAN = "guardian"
STUDENT = "student"
STAFF = "staff"
AUDIENCES = {GUARDIAN, STUDENT, STAFF}
ALL_UNIT_KINDS = frozenset({"forskola", "grundskola", "fritidshem"})


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

    def load_for_children(self, *, viewer, children: list) -> dict[int, Any]:
        """Data per child id, for all children at once. Empty data hides the box."""
        return {}

    def load_for_units(self, *, viewer, units: list) -> dict[int, Any]:
        """Data per unit id, for staff, for all units at once."""
        return {}

    def applies_to_kinds(self, kinds: Iterable[str]) -> bool:
        return bool(self.unit_kinds & set(kinds))


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
