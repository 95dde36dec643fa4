from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PreschoolConfig(AppConfig):
    name = "preschool"
    verbose_name = _("E-tjänster för förskola och fritidshem")
