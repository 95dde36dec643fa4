"""Django's Redis cache, made cheaper per call and tolerant of Redis being away.

1. One redis-py client per connection pool instead of one per call. Django's RedisCacheClient
   builds a new `redis.Redis` object for every cache operation, and redis-py's constructor
   fills a dict of ~170 response callbacks each time: about a third of a millisecond per call
   on this machine, more than the round trip to Redis itself. A Redis client is thread-safe
   (it borrows a connection from the pool per command), so one per pool is enough.
2. While Redis is unreachable, reads miss and writes are dropped (set_many reports the keys
   it could not store, as Django's contract says), so pages keep serving: sessions come from
   the database (`cached_db`), the viewer and the Hub are computed (config/generations.py
   notices the lost writes and voids the cache when Redis answers again). After a failure the
   cache is skipped for RETRY_AFTER seconds per process, so an outage costs one refused
   connection every few seconds, not one per call.

(The harden branch has the same degrade-instead-of-fail wrapper as `ResilientRedisCache`;
when both are on main, keep one class and give it ReusingRedisCacheClient.)
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

log = logging.getLogger(__name__)

RETRY_AFTER = 3.0


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self._down_until = 0.0

    @staticmethod
    def _errors():
        import redis

        return (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

    def _call(self, name, fallback, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return fallback
        try:
            return getattr(super(), name)(*args, **kwargs)
        except self._errors() as exc:
            self._down_until = time.monotonic() + RETRY_AFTER
            log.warning("cache unavailable (%s: %s); continuing without it", type(exc).__name__, exc)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        # True while down: a caller using add() as a lock (allauth's rate limiter) goes on.
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
        return self._call("incr", delta, key, delta, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version=version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def clear(self):
        return self._call("clear", False)
