from django.utils.translation import gettext_lazy as _

from config.navigation import GUARDIAN, STAFF, STUDENT, MenuEntry

MENU = [
    MenuEntry(
        key="portfolio",
        label=_("Dokumentation"),
        url_name="portfolio:index",
        order=60,
        roles=frozenset({GUARDIAN, STUDENT, STAFF}),
        active_namespaces=("portfolio",),
        labels_by_role={STUDENT: _("Min portfolio")},
    ),
]
