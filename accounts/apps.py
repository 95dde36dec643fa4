from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Användare och granskning")  # allauth's section is "Konton"

    def ready(self):
        from accounts import receivers  # noqa: F401
