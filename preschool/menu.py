from django.utils.translation import gettext_lazy as _

from config.navigation import GUARDIAN, PRINCIPAL, SECTION_CARE, MenuEntry

CARE = {"forskola", "fritidshem"}


def _guardian_of_care_child(viewer) -> bool:
    return any(p.unit.kind in CARE for c in viewer.children if c.user_id != viewer.user.pk for p in c.active_placements)


def _leads_care_unit(viewer) -> bool:
    return viewer.is_superuser or any(d.role == "rektor" and d.unit.kind in CARE for d in viewer.duties)


MENU = [
    MenuEntry(
        key="preschool",
        label=_("Avgift och plats"),
        url_name="preschool:overview",
        section=SECTION_CARE,
        order=60,
        roles=frozenset({GUARDIAN}),
        active_url_names=("preschool:overview", "preschool:income-create", "preschool:notice-create"),
        condition=_guardian_of_care_child,
    ),
    MenuEntry(
        key="preschool-admin",
        label=_("Avgifter och uppsägningar"),
        url_name="preschool:notices",
        section=SECTION_CARE,
        order=61,
        roles=frozenset({PRINCIPAL}),
        active_url_names=("preschool:notices", "preschool:fees"),
        condition=_leads_care_unit,
    ),
]
