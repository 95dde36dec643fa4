"""The login backend: allauth's, with the logged-in person read from the cache.

Every logged-in request loads its user by the id in the session (Django's `get_user`, which
then checks the session's password hash itself). Here the user's row is kept in the cache
as plain values (no pickled model instance) under `generations.user_row_key(id)`, stamped
with the tokens of `generations.EPOCH`, `generations.user_key(id)` and
`generations.user_login_key(id)`, and rebuilt with `Model.from_db` as the ORM would. A save
or delete of the user bumps `user_key` (a login's save of last_login alone only
`user_login_key`: accounts/receivers.py), so a password change, deactivation or deletion takes effect on
the next request, as when the row came from the database every time. (Nothing writes users
with QuerySet.update(), bulk_update or raw SQL, which would bypass that: not our code,
allauth or axes; a change of that kind must bump `user_key` itself.)

The same round trip reads what the request needs next: the viewer's entry and the keys
this person's page at this path read last time (`generations.remembered`), handed on as a
`generations.Prefetched` (accounts.middleware puts it on the request, roster.policy.viewer_for
uses it): a warm page costs one cache round trip and no query.

A miss or a stale stamp loads the row from the primary (a lagging replica's row must not be
stored under the new token) with a statement (config.statements: compiled once, prepared on
PostgreSQL): the ORM built and compiled that query anew each time, which cost more than the
query itself.
With the cache unreachable the row comes from the database and nothing is stored.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import router
from django.utils import timezone

from config import generations
from config.replica import primary
from config.statements import Statement, columns, instance, together


def _user_row(pk):
    model = get_user_model()
    return model._default_manager.filter(pk=pk).order_by().values_list(*columns(model))


# Built and compiled once per connection, prepared on PostgreSQL (config.statements).
_USER_ROW = Statement(_user_row)


def load_user(user_id):
    """The user with this primary key from the database, or None (one query)."""
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    rows = _USER_ROW(pk=pk)
    return instance(model, columns(model), rows[0], 0, router.db_for_read(model)) if rows else None


# The path of the request whose user is being loaded (set by accounts.middleware while the
# lazy request.user resolves): the backend's get_user(user_id) does not see the request.
_request_path: contextvars.ContextVar[str | None] = contextvars.ContextVar("skolhubb_auth_path", default=None)
# Where get_user leaves what its round trip read, for the middleware to move onto the request.
PREFETCHED_ATTRIBUTE = "_skolhubb_prefetched"


# Whether that request builds the viewer (config.navigation.builds_viewer).
_request_viewer: contextvars.ContextVar[bool] = contextvars.ContextVar("skolhubb_auth_viewer", default=False)


@contextmanager
def reading_ahead_for(path: str, *, viewer: bool = False) -> Iterator[None]:
    """Inside this block get_user also reads the keys remembered for this path; with
    `viewer` (the request builds the viewer), a user's row that is not cached comes with the
    viewer's rows when the viewer is not cached either."""
    token, viewer_token = _request_path.set(path), _request_viewer.set(viewer)
    try:
        yield
    finally:
        _request_path.reset(token)
        _request_viewer.reset(viewer_token)


def cached_user(user_id):
    """The user with this primary key, from the cache while its row there is current, else
    from the database (one query) and stored; None when there is none. One cache round trip,
    which also reads the viewer's entry and the page keys remembered for the current path
    (see `reading_ahead_for`): left on the user as `PREFETCHED_ATTRIBUTE`."""
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    versions = [generations.EPOCH, generations.user_key(pk), generations.user_login_key(pk)]
    slot = generations.user_row_key(pk)
    today = timezone.localdate()
    ahead = [generations.viewer_key(pk, today)]
    path = _request_path.get()
    if path is not None:
        ahead += generations.remembered(generations.page_scope(pk, path))
    ahead = [k for k in dict.fromkeys(ahead) if k not in versions and k != slot]
    read = generations.read(versions, extra=[slot, *ahead])
    if read is None:
        return load_user(pk)  # the cache is away: the database, nothing stored
    tokens, found = read
    # Made before the row is loaded: a bump in this process from here on voids it.
    prefetched = generations.Prefetched(asked=[*versions, slot, *ahead], found={**found, **tokens})
    stamp = tuple(tokens[k] for k in versions)
    fields = tuple(columns(model))
    entry = found.get(slot)
    if entry is not None and entry[0] == stamp and entry[1] == fields:
        user = model.from_db(router.db_for_read(model), list(fields), entry[2])
    else:
        from roster.policy import viewer_is_cached, viewer_rows

        with primary():
            if not _request_viewer.get() or viewer_is_cached(pk, today, prefetched.found):
                user = load_user(pk)
            else:
                # The viewer is not cached either (the first request of the day, a change):
                # its rows come in the same round trip as the user's (config.statements),
                # for roster.policy.viewer_cached to build it from.
                user, rows = together([lambda: load_user(pk), lambda: viewer_rows(pk, today)])
                prefetched.loaded["viewer", pk, today] = rows
        if user is None:
            return None
        row = tuple(getattr(user, name) for name in fields)  # as from_db was given it
        generations.set_many({slot: (stamp, fields, row)})
    setattr(user, PREFETCHED_ATTRIBUTE, prefetched)
    return user


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        user = cached_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
