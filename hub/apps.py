from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class HubConfig(AppConfig):
    name = "hub"
    verbose_name = _("Hubben")

    def ready(self):
        # Every app's boxes.py registers its Hub boxes, the way the admin finds admin.py.
        autodiscover_modules("boxes")
        # An edit in the Django admin bypasses the services that bump the Hub's cache
        # generations; admin edits are rare, so each one voids every cached box.
        from django.contrib.admin.models import LogEntry
        from django.db.models.signals import post_save

        post_save.connect(_admin_edit, sender=LogEntry, dispatch_uid="hub-admin-edit")


def _admin_edit(sender, instance, created, using, **kwargs):
    from config import generations

    if created:
        generations.bump_everything(using=using)
