from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RosterConfig(AppConfig):
    name = "roster"
    verbose_name = _("Organisation och barn")

    def ready(self):
        # Cached viewers and Hub boxes follow every change of guardianships, placements and duties.
        from roster import signals  # noqa: F401
