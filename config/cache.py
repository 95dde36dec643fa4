"""A Redis cache that degrades instead of failing: with Redis unreachable, reads miss and
writes are dropped, so pages still serve and password login works.

Why a wrapper and not django-redis with IGNORE_EXCEPTIONS: Django's own RedisCache is what we
run already, and the wrapper is twenty lines with no new dependency. Nothing in Skolhubb keeps
state only in the cache: sessions use the `cached_db` engine (the database is the truth, the
cache saves the read), Celery has its own connection. allauth's rate limits live in the cache
and are not enforced while Redis is down; axes' lockout is in the database and still is.

After a failure the cache is skipped for RETRY_AFTER seconds (per process), so an outage costs
one refused connection per process every few seconds, not one per cache call.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from config.cache_client import ReusingRedisCacheClient

log = logging.getLogger(__name__)

RETRY_AFTER = 5.0


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        # One redis-py client per pool, not one per call (config/cache_client.py).
        self._class = ReusingRedisCacheClient
        self._down_until = 0.0

    def validate_key(self, key):
        """Redis takes any key. Django's check is for memcached's limits (250 characters, no
        spaces or control characters) and loops over every character of every key: on a
        cached Hub, about a tenth of a millisecond for its twenty-odd keys."""

    def _call(self, name: str, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except self._redis_errors() as exc:
            self._unavailable(exc)
            return fallback

    @staticmethod
    def _redis_errors():
        import redis

        return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True while down: callers that use add() as a lock (allauth's rate limiter) go on
        # instead of waiting for a lock nobody can take and answering 429 to everyone.
        return self._call("add", True, key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def incr(self, key, delta=1, version=None):
        # A missing key is still a ValueError (Django's contract); an outage is "no count".
        return self._call("incr", delta, key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version=version)

    def set_many_sent(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        """set_many sent now (config/cache_client.py): a function that reads Redis's reply, and
        that, like set_many, drops the values quietly when Redis is away."""
        if time.monotonic() < self._down_until:
            return lambda: None
        try:
            safe = {self.make_and_validate_key(key, version=version): value for key, value in data.items()}
            finish = self._cache.set_many_sent(safe, self.get_backend_timeout(timeout))
        except self._redis_errors() as exc:
            self._unavailable(exc)
            return lambda: None

        def finished():
            try:
                finish()
            except self._redis_errors() as exc:
                self._unavailable(exc)

        return finished

    def _unavailable(self, exc) -> None:
        self._down_until = time.monotonic() + RETRY_AFTER
        log.warning("cache unavailable (%s: %s); continuing without it", type(exc).__name__, exc)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def clear(self):
        return self._call("clear", False)
