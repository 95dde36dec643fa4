"""Generation counters: the versions that cached data is keyed by.

Cached data (the viewer, Hub boxes) is stored under a key that contains the current
*generation* of everything it was computed from: a user, a child, a unit, a group, the
whole municipality, and a global epoch. A write that changes such data bumps the
generation, so the next read misses and recomputes: nothing waits for a TTL.

A generation is a random token, not a number: a counter that the cache lost (eviction,
a restarted Redis) simply gets a fresh token, which no cached entry was ever stored
under, so a loss can only cause misses, never a stale hit.

Ordering rules that keep this correct under concurrency:
- a reader reads the tokens *before* it loads the data it caches under them;
- a writer bumps after its transaction commits (`transaction.on_commit`). It also bumps
  at once, so code that reads inside the same transaction (and tests, which never commit)
  sees the change; a reader that caches old rows under that early token between the two
  bumps is made harmless by the second one.

If the cache cannot be reached, reads return None (callers compute without caching) and
a failed bump arms a flag: the first later successful cache call bumps the epoch, which
invalidates every entry, because the missed bump cannot be replayed. Entries also expire
after a day (the date is part of every key anyway): a safety net for a process that died
before the cache came back, not the way anything is meant to become current.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import secrets
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

EPOCH = "gen:epoch"
MUNICIPALITY = "gen:all"
# A generation lives a month; losing one only costs misses (see above).
GENERATION_TIMEOUT = 60 * 60 * 24 * 30
# Cached data lives at most this long; keys also contain the date.
DATA_TIMEOUT = 60 * 60 * 26

_state = {"bump_failed": False, "bumps": 0}


def user_key(user_id: int) -> str:
    return f"gen:user:{user_id}"


def user_row_key(user_id: int) -> str:
    """Where the person's own row is kept (accounts.backends), stamped with EPOCH, user_key
    and user_login_key: a save or delete of the user bumps user_key, a login only the last."""
    return f"user:{user_id}"


def user_login_key(user_id: int) -> str:
    """The generation of the row alone: a login saves last_login only, which no viewer or
    page shows, so it leaves them cached (the first Hub after logging in stays warm)."""
    return f"gen:userlogin:{user_id}"


def viewer_key(user_id: int, on) -> str:
    """Where the viewer (roster.policy.viewer_cached) is kept. The date is part of the key:
    placements and duties start and end on dates. "v3": the entry's shape (its instances
    pickled inside it, the units with their companions: roster.policy.UNIT_COMPANIONS), so
    that a process of the release before never reads it, nor this one an entry of the shape
    before."""
    return f"viewer:v3:{user_id}:{on.isoformat()}"


def page_scope(user_id, path: str) -> tuple:
    """What the keys a page read are remembered under (`remember`): the person and the
    request's full path. Here, below both, because the login backend reads them ahead
    (accounts.backends) and roster.policy.page_scope remembers them."""
    return (user_id, path)


def child_key(child_id: int, topic: str | None = None) -> str:
    """The child's generation; with a topic (hub.registry.CHILD_TOPICS), the generation of
    one kind of the child's data, which only the boxes that show it follow."""
    return f"gen:child:{child_id}:{topic}" if topic else f"gen:child:{child_id}"


def unit_key(unit_id: int) -> str:
    return f"gen:unit:{unit_id}"


def unit_staff_key(unit_id: int) -> str:
    """What only the unit's staff views show: summaries of its children's own data (who is
    reported sick, the care counts). A change to one child bumps this, not unit_key, so the
    other families of the unit keep their cached Hub."""
    return f"gen:unitstaff:{unit_id}"


def group_key(group_id: int) -> str:
    return f"gen:group:{group_id}"


def _token() -> str:
    return f"{time.time_ns():x}{secrets.token_hex(3)}"


def _recover() -> None:
    """A bump was lost while the cache was away: invalidate everything once it answers."""
    if _state["bump_failed"]:
        if cache.set_many({EPOCH: _token()}, GENERATION_TIMEOUT):
            return  # still away
        _state["bump_failed"] = False
        log.warning("cache is back after a failed invalidation: epoch bumped, every cached entry is void")


class Prefetched:
    """Keys read ahead in an earlier round trip of the same request (see `remember`): what
    was asked and what was found. A later `read` whose keys were all asked (and whose
    generations were all found) is answered from here, without a round trip, unless this
    process bumped a generation since (the request wrote something: read what is current)."""

    def __init__(self, asked: Iterable[str], found: dict):
        self.asked, self.found = set(asked), found
        self._bumps = _state["bumps"]
        # Rows loaded in the same step for a later part of the request, by a key its reader
        # knows (the viewer's, loaded with the user's row: accounts.backends.cached_user);
        # to be used only while `current`.
        self.loaded: dict = {}

    @property
    def current(self) -> bool:
        """Nothing was bumped in this process since the read (no write in this request)."""
        return self._bumps == _state["bumps"]

    def answer(self, keys: list[str], extra: list[str]) -> tuple[dict[str, str], dict] | None:
        if not self.current:
            return None  # this process bumped since (a write in the same request): read again
        if not all(k in self.found for k in keys) or not all(k in self.asked for k in extra):
            return None
        return {k: self.found[k] for k in keys}, {k: self.found[k] for k in extra if k in self.found}


# Per process: for a (user, path), the keys its page read last time (its generations and its
# page slot), read ahead with the viewer on the next request for that path, so a cached page
# costs one cache round trip instead of two. Only a guess: a read checks that every key it
# needs was asked, else makes its own round trip. Bounded; the oldest entries go first.
_REMEMBERED: dict[tuple, tuple[str, ...]] = {}
REMEMBER_AT_MOST = 20_000


def remember(scope: tuple, keys: Iterable[str]) -> None:
    keys = tuple(keys)
    if _REMEMBERED.get(scope) == keys:
        return
    _REMEMBERED.pop(scope, None)
    if len(_REMEMBERED) >= REMEMBER_AT_MOST:
        # Another thread (the development server) may drop the same entry: only a guess is lost.
        with contextlib.suppress(KeyError, RuntimeError, StopIteration):
            del _REMEMBERED[next(iter(_REMEMBERED))]
    _REMEMBERED[scope] = keys


def remembered(scope: tuple) -> tuple[str, ...]:
    return _REMEMBERED.get(scope, ())


def read(
    keys: Iterable[str], extra: Iterable[str] = (), *, prefetched: Prefetched | None = None
) -> tuple[dict[str, str], dict] | None:
    """One cache round trip (two when a generation is missing): the tokens for `keys` plus
    the plain values stored under `extra`. None when the cache is unreachable. None round
    trips when `prefetched` holds them all."""
    keys = list(dict.fromkeys(keys))
    extra = list(extra)
    if prefetched is not None and (answer := prefetched.answer(keys, extra)) is not None:
        return answer
    try:
        _recover()
        found = cache.get_many(keys + extra)
        missing = {k: _token() for k in keys if k not in found}
        if missing:
            cache.set_many(missing, GENERATION_TIMEOUT)
            found.update(missing)
    except Exception:  # noqa: BLE001 - any cache failure means "compute without the cache"
        log.warning("cache unreachable: reading without it", exc_info=True)
        return None
    return {k: found[k] for k in keys}, {k: found[k] for k in extra if k in found}


def read_stamped(
    keys: Iterable[str],
    slot: str,
    parts: Iterable[str] = (),
    *,
    prefetched: Prefetched | None = None,
    remember_as: tuple | None = None,
) -> tuple[str | None, object]:
    """One round trip: the generations of `keys` and what is stored in `slot`.
    Returns (stamp, value): the stamp digests the tokens, the date, the release and `parts`;
    the value is what was stored under this very stamp (`store_stamped`), else None. The
    stamp is None when the cache is away: compute, and store nothing. A page passes the
    viewer's `prefetched` and its `remember_as` scope (roster.policy.page_scope): no round
    trip of its own from the second load of its path on."""
    import hashlib

    from django.conf import settings
    from django.utils import timezone

    keys = list(keys)
    found = read(keys, extra=[slot], prefetched=prefetched)
    if found is None:
        return None, None
    if remember_as is not None:
        remember(remember_as, [*keys, slot])
    tokens, extra = found
    tokens_in_order = [tokens[k] for k in keys]
    stamp_parts = [*tokens_in_order, timezone.localdate().isoformat(), settings.SKOLHUBB_RELEASE, *parts]
    stamp = hashlib.blake2b("|".join(stamp_parts).encode(), digest_size=10).hexdigest()
    entry = extra.get(slot)
    return stamp, (entry[1] if entry is not None and entry[0] == stamp else None)


def store_stamped(slot: str, stamp: str | None, value, timeout: int = DATA_TIMEOUT) -> None:
    """Keep `value` in `slot` under the stamp `read_stamped` gave (nothing without one)."""
    if stamp is not None:
        set_many({slot: (stamp, value)}, timeout)


def get_many(keys: Iterable[str]) -> dict | None:
    """One round trip for plain values; None when the cache is unreachable."""
    try:
        _recover()
        return cache.get_many(list(keys))
    except Exception:  # noqa: BLE001
        log.warning("cache unreachable: reading without it", exc_info=True)
        return None


# A request's data writes (the viewer, the Hub's boxes, the page), kept until the request ends
# and then sent in one round trip per timeout (config.middleware.CacheWritesMiddleware): a cold
# Hub stored in three or four round trips. Outside a request (tasks, commands, the shell)
# set_many stores at once. Deferring a store is safe: its key holds the generations read
# before its data was loaded, so a bump in between only makes it a key nobody reads. A read
# in the same request does not see a write still waiting: a miss, computed again.
_batch: contextvars.ContextVar[dict[int, dict] | None] = contextvars.ContextVar("skolhubb_cache_writes", default=None)
# Writes sent ahead (`send_writes`) whose replies the block's end reads.
_sent: contextvars.ContextVar[list | None] = contextvars.ContextVar("skolhubb_cache_writes_sent", default=None)


@contextlib.contextmanager
def writes_batched():
    """set_many inside collects; one round trip (per timeout) when the block ends, also
    when it ends with an exception (what was computed is still current)."""
    token, sent_token = _batch.set({}), _sent.set([])
    try:
        yield
    finally:
        pending, sent = _batch.get(), _sent.get()
        _batch.reset(token)
        _sent.reset(sent_token)
        for timeout, values in pending.items():
            set_many(values, timeout)
        for finish in sent:
            try:
                finish()
            except Exception:  # noqa: BLE001 - as set_many: a failed store only costs a later miss
                log.warning("cache unreachable: result not stored", exc_info=True)


def send_writes() -> None:
    """Send the writes collected so far now, without waiting for Redis: the block's end
    reads its reply. A page whose data is complete before its frame is rendered (the Hub:
    hub.cache.viewer_page) so has Redis store while the frame renders and the response goes
    out through the middleware, instead of waiting for Redis at the very end (a cold Hub's
    thirty-odd entries, about half a millisecond). Without a batch, or with a cache that
    cannot send ahead (local memory), nothing changes: the writes wait for the block's end."""
    batch, sent = _batch.get(), _sent.get()
    send = getattr(cache, "set_many_sent", None)
    if not batch or sent is None or send is None:
        return
    for timeout, values in batch.items():
        try:
            sent.append(send(values, timeout))
        except Exception:  # noqa: BLE001 - as set_many
            log.warning("cache unreachable: result not stored", exc_info=True)
    batch.clear()


def set_many(values: dict, timeout: int = DATA_TIMEOUT) -> None:
    if not values:
        return
    batch = _batch.get()
    if batch is not None:
        batch.setdefault(timeout, {}).update(values)
        return
    try:
        cache.set_many(values, timeout)
    except Exception:  # noqa: BLE001 - a failed store only costs a later miss
        log.warning("cache unreachable: result not stored", exc_info=True)


def _bump_now(keys: list[str]) -> None:
    _state["bumps"] += 1  # what this process read ahead before now may be out of date
    try:
        # set_many returns the keys it could not store (a cache that degrades instead of
        # raising while Redis is down returns them all).
        failed = cache.set_many({k: _token() for k in keys}, GENERATION_TIMEOUT)
    except Exception:  # noqa: BLE001
        failed = keys
    if failed:
        _state["bump_failed"] = True
        log.error("cache unreachable: invalidation of %d keys lost, epoch will be bumped", len(failed))


def bump_keys(keys: Iterable[str], *, using: str | None = None) -> None:
    """Give these generations new tokens now and again after the current transaction
    commits (once, outside a transaction)."""
    keys = sorted(set(keys))
    if not keys:
        return
    _bump_now(keys)
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(lambda: _bump_now(keys), using=using)


def bump_everything(*, using: str | None = None) -> None:
    """Void every cached entry (a restored database, a changed unit or group structure)."""
    bump_keys([EPOCH], using=using)
