"""config/wsgi.py keeps what a worker loads, and what it builds while warming up, out of the
cyclic collector's way (gc.freeze): full collections stay short in a long-running worker. And
the youngest generation is collected less often (gc.set_threshold)."""

import gc

from django.core.signals import request_finished

DEFAULT_THRESHOLD = (700, 10, 10)  # Python's, as the test process had it


def test_a_worker_freezes_what_it_built_once_it_has_warmed_up(monkeypatch):
    from config import wsgi

    try:
        assert gc.get_freeze_count() > 0, "what was loaded at start-up is frozen"
        # A request's many short-lived objects do not set off a collection every 700.
        assert gc.get_threshold() == (10_000, 10, 10)
        monkeypatch.setattr(wsgi, "_served", 0)
        monkeypatch.setattr(wsgi, "FREEZE_AFTER", (3,))
        built = [[n] for n in range(1000)]  # containers a worker makes after start-up
        before = gc.get_freeze_count()
        for _ in range(2):
            request_finished.send(sender=None)
        assert gc.get_freeze_count() == before, "not before the worker has warmed up"
        request_finished.send(sender=None)
        assert gc.get_freeze_count() >= before + len(built)
    finally:
        # The test process goes on as before: no freezing after its own requests.
        request_finished.disconnect(dispatch_uid="skolhubb-freeze-when-warm")
        gc.unfreeze()
        gc.set_threshold(*DEFAULT_THRESHOLD)
