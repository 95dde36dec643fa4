import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the process: kept
# out of the cyclic collector's way, whose full collections walked all of it (about 100 ms
# each on the development machine, every hundred or so cold Hubs). With gunicorn's
# preload_app this runs before the workers fork, and they go on sharing those pages.
gc.collect()
gc.freeze()
