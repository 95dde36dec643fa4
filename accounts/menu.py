from django.utils.translation import gettext_lazy as _

from config.navigation import ADMIN, MenuEntry

MENU = [
    MenuEntry(
        key="account", label=_("Mitt konto"), url_name="accounts:contact", order=900, active_namespaces=("accounts",)
    ),
    MenuEntry(key="admin", label=_("Förvaltning"), url_name="admin:index", order=950, roles=frozenset({ADMIN})),
]
