from django.utils.translation import gettext_lazy as _

from config.navigation import GUARDIAN, STAFF, STUDENT, MenuEntry

MENU = [
    MenuEntry(
        key="absence",
        label=_("Frånvaro"),
        url_name="absence:overview",
        order=30,
        roles=frozenset({GUARDIAN, STUDENT, STAFF}),
        active_namespaces=("absence",),
    ),
]
