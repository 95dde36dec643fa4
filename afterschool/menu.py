from django.utils.translation import gettext_lazy as _

from config.navigation import SECTION_CARE, STAFF, MenuEntry


def _works_in_care(viewer) -> bool:
    return viewer.is_superuser or any(u.kind in ("fritidshem", "forskola") for u in viewer.staff_units)


# Guardians reach an open survey from the Hub box (no menu entry that could lead to an empty page).
MENU = [
    MenuEntry(
        key="afterschool",
        label=_("Lovanmälan"),
        url_name="afterschool:overview",
        section=SECTION_CARE,
        order=62,
        roles=frozenset({STAFF}),
        active_namespaces=("afterschool",),
        condition=_works_in_care,
    ),
]
