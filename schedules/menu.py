from django.utils.translation import gettext_lazy as _

from config.navigation import GUARDIAN, SECTION_CARE, STAFF, MenuEntry
from schedules.models import CARE_KINDS


def _has_care(viewer) -> bool:
    """A guardian with a child placed in preschool or fritidshem, or staff at such a unit."""
    if any(unit.kind in CARE_KINDS for unit in viewer.staff_units) or viewer.is_superuser:
        return True
    return any(p.unit.kind in CARE_KINDS for child in viewer.children for p in child.active_placements)


MENU = [
    MenuEntry(
        key="schedules",
        label=_("Omsorgstider"),
        url_name="schedules:overview",
        section=SECTION_CARE,
        order=40,
        roles=frozenset({GUARDIAN, STAFF}),
        active_namespaces=("schedules",),
        condition=_has_care,
    ),
]
