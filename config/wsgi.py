import gc
import os

from django.core.signals import request_finished
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What is loaded by now (Django, the apps, their modules) lives as long as the process: kept
# out of the cyclic collector's way, whose full collections walked all of it (about 100 ms
# each on the development machine, every hundred or so cold Hubs). With gunicorn's
# preload_app this runs before the workers fork, and they go on sharing those pages.
gc.collect()
gc.freeze()
# The youngest generation is collected after 10 000 new objects, not Python's 700: a cold Hub
# makes tens of thousands (rows, dicts, rendered strings) that nearly all die with the request
# without a cycle, and each early collection walked those still alive. Paired HTTP runs on the
# development machine (tests/load/bench_ab.py, 300 rounds, three runs): a cold Hub 2-6 % sooner
# for Carin and for the principal. Cyclic garbage waits a little longer to be freed.
gc.set_threshold(10_000, 10, 10)


# What a worker builds as it serves its first requests lives as long as it too (compiled
# templates and statements, URL and translation caches, connection adapters): frozen as well
# once the worker has warmed up. A full collection in a warmed-up worker otherwise walked some
# 80 000 such objects (about 45 ms on the development machine, every 150 or so cold Hubs);
# after this, a few milliseconds. Each freeze runs once, after a response has been sent.
FREEZE_AFTER = (200, 2000)
_served = 0


def _freeze_when_warm(**kwargs) -> None:
    global _served
    _served += 1
    if _served in FREEZE_AFTER:
        gc.collect()
        gc.freeze()


request_finished.connect(_freeze_when_warm, dispatch_uid="skolhubb-freeze-when-warm")
