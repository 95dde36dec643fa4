from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AfterschoolConfig(AppConfig):
    name = "afterschool"
    verbose_name = _("Lovanmälan")
