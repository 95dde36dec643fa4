from django.utils.translation import gettext_lazy as _

from config.navigation import GUARDIAN, PRINCIPAL, SECTION_ABSENCE, STAFF, STUDENT, MenuEntry


def _has_school_or_care(viewer) -> bool:
    """Someone with a child (or themself) placed somewhere: there is absence to show."""
    return any(child.active_placements for child in viewer.children)


def _works_at_a_school(viewer) -> bool:
    return viewer.is_superuser or any(unit.kind == "grundskola" for unit in viewer.staff_units)


MENU = [
    MenuEntry(
        key="absence",
        label=_("Frånvaro"),
        url_name="absence:overview",
        section=SECTION_ABSENCE,
        order=30,
        roles=frozenset({GUARDIAN, STUDENT}),
        active_namespaces=("absence",),
        condition=_has_school_or_care,
        labels_by_role={STUDENT: _("Min frånvaro")},
    ),
    # Staff: their groups' absence today (with today's lessons to register), and leave to decide.
    MenuEntry(
        key="absence-today",
        label=_("Dagens frånvaro"),
        url_name="absence:today",
        section=SECTION_ABSENCE,
        order=31,
        roles=frozenset({STAFF}),
        active_url_names=("absence:today", "absence:lesson-attendance"),
    ),
    MenuEntry(
        key="absence-leave",
        label=_("Ledighetsansökningar"),
        url_name="absence:leave-list",
        section=SECTION_ABSENCE,
        order=32,
        roles=frozenset({STAFF, PRINCIPAL}),
        active_url_names=("absence:leave-list", "absence:leave-detail"),
        condition=_works_at_a_school,
    ),
]
