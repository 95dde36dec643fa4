"""One redis-py client per connection pool instead of one per call.

Django's RedisCacheClient builds a new `redis.Redis` object for every cache operation, and
redis-py's constructor fills a dict of ~170 response callbacks each time: about a third of a
millisecond per call on this machine, more than the round trip to Redis itself (`get_many`
0.39 → 0.08 ms). A Redis client is thread-safe (it borrows a connection from the pool per
command), so one per pool is enough. Used by config.cache.ResilientRedisCache.
"""

import pickle

from django.core.cache.backends.redis import RedisCacheClient, RedisSerializer


class _Serializer(RedisSerializer):
    """Django's, without an exception per pickled value read: Django's `loads` tries `int()`
    first (integers are stored as they are, for incr) and catches the ValueError that every
    other value raises, about a microsecond each for the forty-odd values a Hub reads.
    Pickled data starts with the PROTO opcode (0x80); a stored integer never does."""

    def loads(self, data):
        if data[:1] == b"\x80":
            return pickle.loads(data)  # noqa: S301 - our own cache, as Django's serializer
        return super().loads(data)


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if type(self._serializer) is RedisSerializer:
            self._serializer = _Serializer(self._serializer.protocol)
        self._clients = {}
        self._scripts = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def set_many(self, data, timeout):
        # Without a timeout, and for one of 0 or less (Django's contract: the keys are deleted,
        # which SET EX refuses), Django's own way.
        if timeout is None or int(timeout) <= 0:
            return super().set_many(data, timeout)
        _client, script, keys, args = self._set_many_ex(data, timeout)
        script(keys=keys, args=args)

    def _set_many_ex(self, data, timeout) -> tuple:
        """(client, the set-many script registered with it, keys, arguments) for these values."""
        client = self.get_client(None, write=True)
        script = self._scripts.get(id(client))
        if script is None:
            script = self._scripts[id(client)] = client.register_script(_SET_MANY_EX)
        dumps = self._serializer.dumps
        keys = list(data)
        return client, script, keys, [int(timeout), *(dumps(data[k]) for k in keys)]

    def set_many_sent(self, data, timeout):
        """set_many's command sent now, its reply read when the returned function is called:
        the request goes on (its page's frame, the middleware) while Redis stores, instead of
        waiting for Redis at the end. The connection stays out of the pool until then. A
        script Redis has forgotten (a restart) runs again the usual way when the reply says so."""
        from redis.exceptions import NoScriptError

        if timeout is None or int(timeout) <= 0:
            self.set_many(data, timeout)
            return lambda: None
        client, script, keys, args = self._set_many_ex(data, timeout)
        pool = client.connection_pool
        connection = pool.get_connection()
        try:
            connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
        except BaseException:
            connection.disconnect()
            pool.release(connection)
            raise

        def finish():
            forgotten = False
            try:
                connection.read_response()
            except NoScriptError:
                forgotten = True
            except BaseException:
                connection.disconnect()
                raise
            finally:
                pool.release(connection)
            if forgotten:
                script(keys=keys, args=args)

        return finish


# Every key with its own expiry in one command: Django's set_many sends MULTI, MSET, one EXPIRE
# per key and EXEC, and packing those commands in redis-py cost more than Redis's work (a cold
# Hub stores about thirty-five entries). A script runs atomically, like the transaction it
# replaces. (On a Redis Cluster every key of a script must share a slot: not our deployment.)
_SET_MANY_EX = """
local ttl = ARGV[1]
for i, key in ipairs(KEYS) do
    redis.call('SET', key, ARGV[i + 1], 'EX', ttl)
end
return #KEYS
"""
