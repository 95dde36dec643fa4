from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Hubben")

    def ready(self):
        # Every app's boxes.py registers its Hub boxes, the way the admin finds admin.py.
        autodiscover_modules("boxes")
