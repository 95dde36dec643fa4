from django.utils.translation import gettext_lazy as _

from config.navigation import ADMIN, GUARDIAN, SECTION_MORE, STAFF, MenuEntry

MENU = [
    MenuEntry(
        key="account",
        label=_("Mitt konto"),
        url_name="accounts:contact",
        order=900,
        active_namespaces=("accounts",),
        section=SECTION_MORE,
    ),
    MenuEntry(
        key="admin",
        label=_("Förvaltning"),
        url_name="admin:index",
        order=950,
        roles=frozenset({ADMIN}),
        section=SECTION_MORE,
    ),
]

# The contact list (Kontaktlista): guardians and staff.
MENU.append(
    MenuEntry(
        key="contacts",
        label=_("Kontaktlista"),
        url_name="accounts:contact-list",
        order=70,
        roles=frozenset({GUARDIAN, STAFF}),
        active_url_names=("accounts:contact-list", "accounts:contact-list-group"),
        section=SECTION_MORE,
    )
)
