from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Dokumentation och blogg")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from portfolio import imaging

        imaging.register_heif()
