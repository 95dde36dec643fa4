import os

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("skolhubb")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def app_periodic_tasks() -> dict:
    """Every app's `tasks.py` may declare `PERIODIC_TASKS` (Celery beat entries): an app
    schedules its own work without editing settings."""
    from config.plugins import app_modules

    entries: dict = {}
    for module in app_modules("tasks"):
        for name, entry in getattr(module, "PERIODIC_TASKS", {}).items():
            if name in entries:
                raise ValueError(f"Periodic task {name!r} is declared twice")
            entries[name] = entry
    return entries


@beat_init.connect
def _schedule_app_periodic_tasks(sender=None, **kwargs):
    # Beat reads beat_schedule when its scheduler starts, right after this signal.
    app.conf.beat_schedule = {**app_periodic_tasks(), **(app.conf.beat_schedule or {})}
