from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulesConfig(AppConfig):
    name = "schedules"
    verbose_name = _("Omsorgstider")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from roster.models import Child
        from schedules.cache import child_changed

        # The unit pages (day list, planning, check-in) show children's names: a renamed child
        # (the SS 12000 import saves children one by one) must show there at once.
        post_save.connect(child_changed, sender=Child, dispatch_uid="schedules-child-saved")
        post_delete.connect(child_changed, sender=Child, dispatch_uid="schedules-child-deleted")
