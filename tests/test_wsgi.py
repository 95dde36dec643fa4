"""config/wsgi.py keeps what a worker loads, and what it builds while warming up, out of the
cyclic collector's way (gc.freeze): full collections stay short in a long-running worker. And
the youngest generation is collected less often (gc.set_threshold)."""

import gc

from django.core.signals import request_finished

DEFAULT_THRESHOLD = (700, 10, 10)  # Python's, as the test process had it


def _frozen(objects: list) -> list[bool]:
    """Whether the collector keeps each object in its permanent generation (gc.freeze): tracked,
    yet in none of the three generations."""
    in_generations = {id(o) for generation in range(3) for o in gc.get_objects(generation)}
    return [gc.is_tracked(o) and id(o) not in in_generations for o in objects]


def test_a_worker_freezes_what_it_built_once_it_has_warmed_up(monkeypatch):
    from config import wsgi

    try:
        assert gc.get_freeze_count() > 0, "what was loaded at start-up is frozen"
        # A request's many short-lived objects do not set off a collection every 700.
        assert gc.get_threshold() == (10_000, 10, 10)
        monkeypatch.setattr(wsgi, "_served", 0)
        monkeypatch.setattr(wsgi, "FREEZE_AFTER", (3,))
        built = [[n] for n in range(1000)]  # containers a worker makes after start-up
        for _ in range(2):
            request_finished.send(sender=None)
        # Asked of the objects themselves: the freeze count alone also falls when a frozen
        # object dies while the signal runs (seen in CI: 471 852 → 471 850).
        assert not any(_frozen(built)), "not before the worker has warmed up"
        request_finished.send(sender=None)
        assert all(_frozen(built))
    finally:
        # The test process goes on as before: no freezing after its own requests.
        request_finished.disconnect(dispatch_uid="skolhubb-freeze-when-warm")
        gc.unfreeze()
        gc.set_threshold(*DEFAULT_THRESHOLD)
