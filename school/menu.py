from django.utils.translation import gettext_lazy as _

from config.navigation import GUARDIAN, STAFF, STUDENT, MenuEntry


def _has_school(viewer) -> bool:
    """Someone with a child (or themself) in grundskola, or staff at a school."""
    if viewer.is_superuser or any(unit.kind == "grundskola" for unit in viewer.staff_units):
        return True
    return any(p.unit.kind == "grundskola" for child in viewer.children for p in child.active_placements)


MENU = [
    MenuEntry(
        key="timetable",
        label=_("Schema"),
        url_name="school:timetable",
        order=35,
        roles=frozenset({GUARDIAN, STUDENT, STAFF}),
        active_namespaces=("school",),
        condition=_has_school,
        labels_by_role={STAFF: _("Mitt schema")},
    ),
]
