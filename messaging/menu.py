from django.utils.translation import gettext_lazy as _

from config.navigation import GUARDIAN, STAFF, STUDENT, MenuEntry

MENU = [
    MenuEntry(
        key="messaging",
        label=_("Meddelanden"),
        url_name="messaging:inbox",
        order=50,
        roles=frozenset({GUARDIAN, STUDENT, STAFF}),
        active_namespaces=("messaging",),
    ),
]
