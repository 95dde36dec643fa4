from django.utils.translation import gettext_lazy as _

from config.navigation import GUARDIAN, SECTION_MORE, STAFF, MenuEntry

MENU = [
    MenuEntry(
        key="bookings",
        label=_("Utvecklingssamtal"),
        url_name="bookings:overview",
        section=SECTION_MORE,
        order=60,
        roles=frozenset({GUARDIAN, STAFF}),
        active_namespaces=("bookings",),
    ),
]
