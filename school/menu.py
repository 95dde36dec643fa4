from django.utils.translation import gettext_lazy as _

from config.navigation import GUARDIAN, SECTION_SCHOOL, STAFF, STUDENT, MenuEntry


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
        section=SECTION_SCHOOL,
        order=35,
        roles=frozenset({GUARDIAN, STUDENT, STAFF}),
        active_url_names=("school:timetable", "school:child-timetable"),
        condition=_has_school,
        labels_by_role={STAFF: _("Mitt schema")},
    ),
]

# Planeringar, Veckoplan, Uppgifter and eTest (issue 13).
_TEACHING = frozenset({GUARDIAN, STUDENT, STAFF})
MENU += [
    MenuEntry(
        key="weekly",
        label=_("Veckoplan"),
        url_name="school:weekly",
        section=SECTION_SCHOOL,
        order=51,
        roles=_TEACHING,
        active_url_names=("school:weekly", "school:weekly-edit"),
        condition=_has_school,
    ),
    MenuEntry(
        key="plannings",
        label=_("Planeringar"),
        url_name="school:plannings",
        section=SECTION_SCHOOL,
        order=52,
        roles=_TEACHING,
        active_url_names=(
            "school:plannings",
            "school:planning-create",
            "school:planning-detail",
            "school:planning-edit",
            "school:planning-copy",
            "school:planning-overview",
        ),
        condition=_has_school,
    ),
    MenuEntry(
        key="assignments",
        label=_("Uppgifter"),
        url_name="school:assignments",
        section=SECTION_SCHOOL,
        order=53,
        roles=_TEACHING,
        active_url_names=(
            "school:assignments",
            "school:assignment-create",
            "school:assignment-detail",
            "school:submission-detail",
        ),
        condition=_has_school,
    ),
    MenuEntry(
        key="etest",
        label=_("eTest"),
        url_name="school:etests",
        section=SECTION_SCHOOL,
        order=54,
        roles=frozenset({STUDENT, STAFF}),  # never guardians
        active_url_names=(
            "school:etests",
            "school:etest-create",
            "school:etest-detail",
            "school:etest-take",
            "school:attempt-mark",
        ),
        condition=lambda viewer: viewer.student_child is not None or _has_school(viewer),
    ),
]
