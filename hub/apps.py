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

        # Which boxes a unit shows comes with the unit in every viewer's own rows (no query of
        # its own on a cold Hub); the cached viewers hold it, so a change voids every cached
        # entry, as a change to a unit does.
        from django.db.models.signals import post_delete

        from hub.models import UnitBoxes
        from roster.policy import UNIT_COMPANIONS

        UNIT_COMPANIONS["hub_boxes"] = UnitBoxes
        post_save.connect(_unit_boxes_changed, sender=UnitBoxes, dispatch_uid="hub-unit-boxes-saved")
        post_delete.connect(_unit_boxes_changed, sender=UnitBoxes, dispatch_uid="hub-unit-boxes-deleted")


def _admin_edit(sender, instance, created, using, **kwargs):
    from config import generations

    if created:
        generations.bump_everything(using=using)


def _unit_boxes_changed(sender, instance, using, **kwargs):
    from config import generations

    generations.bump_everything(using=using)
