from django.utils.translation import gettext_lazy as _

from config.navigation import MenuEntry

MENU = [
    MenuEntry(key="hub", label=_("Hubben"), url_name="hub:dashboard", order=0, active_url_names=("hub:dashboard",)),
    MenuEntry(
        key="news",
        label=_("Information"),
        url_name="hub:news-list",
        order=10,
        active_url_names=("hub:news-list", "hub:news-detail", "hub:news-create", "hub:news-edit"),
    ),
    MenuEntry(
        key="calendar",
        label=_("Kalender"),
        url_name="hub:calendar",
        order=20,
        active_url_names=("hub:calendar", "hub:event-detail", "hub:event-create", "hub:event-edit"),
    ),
]
