"""The login backend: allauth's, with a cheaper way to load the logged-in person.

Every logged-in request loads its user by the id in the session (Django's `get_user`). The
ORM builds and compiles that query anew each time, which cost more than the query itself
on a cached Hub. Here the statement is compiled once per database connection and run with
the id; the row comes from the database on every request as before (a password change,
deactivation or deletion takes effect on the next request), through the same converters
and `from_db` the ORM uses.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, router

_PLACEHOLDER = -424242
_statements: dict[int, tuple] = {}  # id(connection) -> (connection, sql, fields, converters)


def _statement(model, alias: str):
    connection = connections[alias]
    entry = _statements.get(id(connection))
    if entry is None or entry[0] is not connection:
        compiler = model._default_manager.using(alias).filter(pk=_PLACEHOLDER).order_by().query.get_compiler(alias)
        sql, params = compiler.as_sql()
        if list(params) != [_PLACEHOLDER]:  # not the plain statement we expect: use the ORM
            return None
        fields = [column.target.attname for column, _, _ in compiler.select]
        converters = compiler.get_converters([column for column, _, _ in compiler.select])
        entry = (connection, sql, fields, list(converters.items()))
        if len(_statements) > 64:  # connections come and go with threads (tests, dev server)
            _statements.clear()
        _statements[id(connection)] = entry
    return entry


def load_user(user_id):
    """The user with this primary key from the database, or None (one query)."""
    model = get_user_model()
    try:
        pk = model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    alias = router.db_for_read(model)
    entry = _statement(model, alias)
    if entry is None:
        return model._default_manager.using(alias).filter(pk=pk).first()
    connection, sql, fields, converters = entry
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:  # as SQLCompiler.apply_converters
        row = list(row)
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
    return model.from_db(alias, fields, tuple(row))


class AuthenticationBackend(AllauthBackend):
    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
