from django.utils.translation import gettext_lazy as _

from config.navigation import GUARDIAN, PRINCIPAL, SECTION_SCHOOL, STAFF, STUDENT, MenuEntry


def _has_school_child_or_duty(viewer) -> bool:
    # No query: the viewer's children and placements are loaded once per request.
    return any(d.unit.kind == "grundskola" for d in viewer.duties) or any(
        p.unit.kind == "grundskola" for c in viewer.children for p in c.active_placements
    )


MENU = [
    MenuEntry(
        key="assessments",
        label=_("Bedömningar"),
        url_name="assessments:index",
        section=SECTION_SCHOOL,
        order=60,
        roles=frozenset({GUARDIAN, STUDENT, STAFF, PRINCIPAL}),
        active_namespaces=("assessments",),
        condition=_has_school_child_or_duty,
    ),
]
