"""Statements built once: a `values()` query that the ORM builds and compiles once per
process, database connection and shape, then runs again with new values.

Why: a cold Hub runs about twenty bulk queries, and for most of them Django spends longer
building the QuerySet and compiling its SQL (1–2 ms each) than the database spends running
it (0.1–0.5 ms). A box loader that declares its query once

    _NEWS = Statement(lambda unit_ids, group_ids, now: NewsItem.objects.filter(...).values(...))
    rows = _NEWS(unit_ids=[...], group_ids=[...], now=timezone.now())   # a list of dicts

gets the same rows as `list(queryset)`, through the same converters, for the cost of the
database call. `load_user` (accounts/backends.py) does the same by hand for the session's
user.

On PostgreSQL a statement is also *prepared* on its connection (bound on the server, see
`_preparing_cursor`): PostgreSQL parses it once per connection and, after a few runs, keeps a
generic plan instead of planning it again (the fee box's query took 2 ms to plan and 0.3 ms to
run). `SKOLHUBB_PREPARED_STATEMENTS=0` turns this off for poolers that cannot keep them.

The rules (each one checked; a statement that breaks one is run through the ORM every time,
never wrongly):
- Everything that varies is an argument. Integers, strings, dates and datetimes are
  parameters; a list of them is one parameter per element (an `IN`); booleans, None and
  empty lists shape the query and are part of the cache key.
- `build` may not read the clock or anything else that varies: it is called with stand-in
  values, and a date, datetime or stand-in found anywhere but in the parameters means the
  statement cannot be reused (it runs through the ORM).
- Only `values()` querysets (rows as dicts) and `values_list()` ones (rows as tuples).
"""

from __future__ import annotations

import contextvars
import itertools
import logging
import re
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections, router
from greenlet import getcurrent, greenlet

log = logging.getLogger(__name__)

_COLLECTIONS = (list, tuple, set, frozenset)
_ALL: weakref.WeakSet[Statement] = weakref.WeakSet()  # every statement alive, for tests (refused)
# A date or datetime as SQLite receives it (as text).
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}")
# Stand-in integers: positive and below 32 767, so they fit every integer column, small ones
# included (Django answers a lookup outside a column's range without SQL); unique within one
# statement, and far from the small constants queries carry (a LIMIT, a rank).
_INT_STAND_INS = range(32_700, 30_000, -1)


# What `_takes` takes, as exact types (bool is an int but shapes the query).
_PLAIN = frozenset({int, str, date, datetime})


def _takes(value: Any) -> bool:
    return not isinstance(value, bool) and isinstance(value, (int, datetime, date, str))


def _stand_in(value: Any, n: int) -> Any:
    """The n-th stand-in of this statement: a value of the same kind that occurs nowhere else."""
    if isinstance(value, int):
        return _INT_STAND_INS[n]
    if isinstance(value, datetime):
        return datetime(1001, 1, 1, tzinfo=UTC) + timedelta(seconds=n)
    if isinstance(value, date):
        return date(1001, 1, 1) + timedelta(days=n)
    return f"\x1fstand-in-{n}\x1f"


def _then(first: Callable[[Any], Any], wrap: type) -> Callable[[Any], Any]:
    return lambda value: wrap(first(value))


def _adapters(connection) -> list[Callable[[Any], Any]]:
    """How a backend may have turned a value into the parameter it sends (SQLite sends dates
    and datetimes as strings; PostgreSQL sends them as they are)."""
    ops = connection.ops
    return [lambda v: v, ops.adapt_datefield_value, ops.adapt_datetimefield_value, str]


def _preparing_cursor(connection):
    """PostgreSQL: a cursor that binds its parameters on the server, so that psycopg prepares
    the statement on the connection the first time and PostgreSQL parses (and, once its
    generic plan is chosen, plans) it once per connection; wrapped as Django wraps its own
    cursors (counted, logged). Django's own cursors bind on the client and never prepare:
    only statements use this. Django turns preparing off for poolers (a threshold of None);
    0 lets this cursor prepare at first use.

    The same cursor per database connection, used again by every statement (not closed after
    each): a new psycopg cursor looks up the loader of every column of its first result again,
    which cost more than opening it (about 60 µs a query here). Kept on the psycopg connection
    itself: with Django's pool a request gets whichever connection the pool hands out, and a
    cursor kept for the last one only was opened again on most requests. Django's connection
    objects belong to one thread, and so does this cursor. Statements run together
    (`_pipeline`) are read with its adapters too."""
    connection.ensure_connection()
    raw = connection.connection
    cursor = getattr(raw, "_skolhubb_binding_cursor", None)
    if cursor is None or cursor.closed:
        cursor = raw._skolhubb_binding_cursor = _binding_cursor(connection, raw)
    return connection._prepare_cursor(cursor)


# The SQL of a statement as psycopg sends it ($1, $2 for %s), per SQL text and encoding.
_CONVERTED: dict[tuple[str, str], tuple] = {}
_StatementCursor = None


def _statement_cursor_class():
    """psycopg's server-binding cursor, remembering each statement's SQL as converted.

    psycopg turns a query's %s placeholders into $n with a Python loop over its text, and
    remembers the result only for a query under 4 096 bytes with at most 50 parameters: a
    statement with more (the care box's schedules for a principal's units: 1 780 bytes, over
    fifty ids) was converted again on every run, 0.57 ms of a principal's cold Hub. A
    statement's SQL is fixed per shape, so here it is converted once per process; only the
    values are dumped per run. (psycopg's own steps, `PostgresQuery.convert`, with the cache
    in front: psycopg is pinned in requirements.txt, and tests/test_statements.py holds this.)"""
    global _StatementCursor
    if _StatementCursor is None:
        from django.db.backends.postgresql.base import ServerBindingCursor
        from psycopg import _queries
        from psycopg._queries import PostgresQuery

        class _RememberedQuery(PostgresQuery):
            def convert(self, query, vars):
                if type(query) is not str or vars is None:
                    return super().convert(query, vars)
                encoding = self._tx.encoding
                found = _CONVERTED.get((query, encoding))
                if found is None:
                    if len(_CONVERTED) > 2048:  # shapes come and go (lists of every length)
                        _CONVERTED.clear()
                    found = _CONVERTED[query, encoding] = _queries._query2pg_nocache(query.encode(encoding), encoding)
                self.query, self._want_formats, self._order, self._parts = found
                self.dump(vars)

        class StatementCursor(ServerBindingCursor):
            _query_cls = _RememberedQuery

        _StatementCursor = StatementCursor
    return _StatementCursor


def _binding_cursor(connection, raw):
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg import adapters
    from psycopg._tz import get_tzinfo
    from psycopg.pq import Format
    from psycopg.types.datetime import TimestamptzLoader

    if raw.prepare_threshold != 0:
        raw.prepare_threshold = 0
    with connection.wrap_database_errors:
        cursor = _statement_cursor_class()(raw)
        if connection.timezone is UTC and get_tzinfo(raw.pgconn) is UTC:
            # Django's connections load every timestamp through a Python loader that sets
            # the connection's zone on psycopg's result (psycopg_any.BaseTzLoader): about
            # 2.5 µs a value, a quarter of a millisecond for a cold Hub's hundred-odd. In UTC
            # (Django sets the session's zone so) psycopg's own loader, in C, gives the same
            # datetimes, UTC included (tests/test_statements.py).
            cursor.adapters.register_loader("timestamptz", TimestamptzLoader)
            return cursor
        # As Django's create_cursor: its time zone, when the connection's differs.
        loader = raw.adapters.get_loader(adapters.types["timestamptz"].oid, Format.TEXT)
        if connection.timezone != loader.timezone:
            register_tzloader(connection.timezone, cursor)
        return cursor


def _prepares(connection) -> bool:
    return connection.vendor == "postgresql" and settings.SKOLHUBB_PREPARED_STATEMENTS


class _Compiled:
    __slots__ = ("compiler", "converters", "names", "prepare", "slots", "sql")

    def __init__(self, compiler, sql: str, slots: list, names: list[str]):
        self.compiler, self.sql, self.slots, self.names = compiler, sql, slots, names
        # Whether PostgreSQL takes it prepared: None until tried (see _fetch).
        self.prepare: bool | None = None
        # The columns' converters, as results_iter() finds them on every call: found once
        # (None where results_iter() must do it: composite fields).
        fields = [s[0] for s in compiler.select[0 : compiler.col_count]]
        self.converters = None if compiler.has_composite_fields(fields) else compiler.get_converters(fields)

    def _fetch(self, connection, params: list) -> list:
        # Prepared once PostgreSQL took it so; tried the first time it runs outside a
        # transaction (nothing to roll back), and inside one it waits. PostgreSQL may refuse
        # bound on the server what it takes bound on the client (a parameter whose type it
        # cannot tell): then this statement binds on the client, as Django's own queries do.
        if self.prepare is not False and _prepares(connection) and (self.prepare or not connection.in_atomic_block):
            try:
                cursor = _preparing_cursor(connection)  # kept open for the next statement
                cursor.execute(self.sql, params)
                rows = cursor.fetchall()
            except DatabaseError:
                if self.prepare:
                    raise  # it ran prepared before: a real error
                log.warning("Statement not prepared (PostgreSQL refused it bound on the server): %s", self.sql[:200])
                self.prepare = False
            else:
                self.prepare = True
                return rows
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()

    def params(self, values: dict[str, Any]) -> list:
        params = []
        for slot in self.slots:
            if slot[0] == "const":
                params.append(slot[1])
            else:
                _kind, name, index, adapter = slot
                value = values[name] if index is None else values[name][index]
                params.append(adapter(value))
        return params

    def run(self, connection, values: dict[str, Any]) -> list[dict]:
        return self.convert(self._fetch(connection, self.params(values)))

    def convert(self, rows: list) -> list:
        """The database's rows as `list(queryset)` gives them: converted, as dicts or tuples."""
        compiler = self.compiler
        if compiler.has_extra_select:
            rows = [row[: compiler.col_count] for row in rows]
        if self.converters is None:
            converted = compiler.results_iter(results=[rows])
        elif self.converters:
            converted = compiler.apply_converters(rows, self.converters)
        else:
            converted = rows
        names = self.names
        if names is None:  # values_list(): tuples
            return [tuple(row) for row in converted]
        indexes = range(len(names))
        return [{names[i]: row[i] for i in indexes} for row in converted]


_EMPTY = object()  # a shape that can match nothing (see Statement._compile)


class Statement:
    """A `values()` (dicts) or `values_list()` (tuples) query built by `build(**values)`,
    compiled once per connection and shape. Returns a list, as `list(queryset)` would."""

    def __init__(self, build: Callable[..., Any]):
        self._build = build
        self._model = None
        self._compiled: dict[tuple, Any] = {}  # a _Compiled, _EMPTY, or None (refused)
        _ALL.add(self)

    @property
    def name(self) -> str:
        return f"{self._build.__module__}.{self._build.__qualname__}"

    @property
    def refused(self) -> bool:
        """Whether some shape could not be reused (and runs through the ORM every time):
        correct, but without the saving. Tests hold the platform's statements to none."""
        return any(compiled is None for compiled in self._compiled.values())

    def _orm(self, values: dict[str, Any]) -> list[dict]:
        return list(self._build(**values))

    def __call__(self, **values: Any) -> list[dict]:
        if isinstance(getcurrent(), _Gathering):  # inside `together`: wait for the others
            return ask(self.later(**values))
        return self._rows(*self._resolve(values))

    def _rows(self, compiled: Any, connection, values: dict[str, Any]) -> list:
        """Run it alone, as `_resolve` found it."""
        if compiled is _EMPTY:
            return []
        if compiled is None:
            return self._orm(values)
        return compiled.run(connection, values)

    def later(self, **values: Any) -> Pending:
        """This statement with these values, to run when asked (`ask`): a load that several
        calls inside `together` may wait for."""
        return Pending(self, values)

    def _resolve(self, values: dict[str, Any]) -> tuple[Any, Any, dict[str, Any]]:
        """(the compiled statement for these values' shape, or _EMPTY, or None to use the
        ORM; the connection; the values with their lists made unique)."""
        values = {k: (list(dict.fromkeys(v)) if isinstance(v, _COLLECTIONS) else v) for k, v in values.items()}
        shape = []
        for name in sorted(values):
            value = values[name]
            kind = type(value)
            if kind in _PLAIN:  # the usual case, first
                shape.append((name, kind))
            elif kind is list:
                if not value:
                    shape.append((name, "list", ()))
                    continue
                kinds = tuple(map(type, value))
                if len(value) > len(_INT_STAND_INS) // 2 or not (
                    _PLAIN.issuperset(kinds) or all(_takes(v) for v in value)
                ):
                    return None, None, values  # elements of a kind we do not take, or too many
                shape.append((name, "list", len(value), kinds))
            elif value is None or isinstance(value, bool):
                shape.append((name, "shape", value))
            elif not _takes(value):
                return None, None, values
            else:
                shape.append((name, kind))
        if self._model is None:
            self._model = self._build(**values).model
        alias = router.db_for_read(self._model)
        connection = connections[alias]
        key = (alias, id(connection), tuple(shape))
        compiled = self._compiled.get(key, False)
        if compiled is False:
            compiled = self._compile(values, alias, connection)
            if compiled is None:
                log.info("Statement %s: not reusable for this shape; using the ORM", self.name)
            if len(self._compiled) > 256:  # connections come and go with threads (tests)
                self._compiled.clear()
            self._compiled[key] = compiled
        if compiled is not _EMPTY and compiled is not None and compiled.compiler.connection is not connection:
            compiled = None
        return compiled, connection, values

    def _compile(self, values: dict[str, Any], alias: str, connection) -> Any:
        from django.core.exceptions import EmptyResultSet
        from django.db.models.query import ValuesIterable, ValuesListIterable

        stand_ins: dict[str, Any] = {}
        numbers = itertools.count(0)
        for name, value in values.items():
            if isinstance(value, list):
                stand_ins[name] = [_stand_in(v, next(numbers)) for v in value]
            elif value is None or isinstance(value, bool):
                stand_ins[name] = value
            else:
                stand_ins[name] = _stand_in(value, next(numbers))
        try:
            queryset = self._build(**stand_ins).using(alias)
        except (TypeError, ValueError):  # a stand-in it cannot take (a negative slice): the ORM
            return None
        if queryset._iterable_class not in (ValuesIterable, ValuesListIterable):
            log.warning("Statement: not a values() or values_list() queryset; using the ORM")
            return None
        compiler = queryset.query.get_compiler(alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            # Nothing can match (an empty list of ids): the ORM runs no query either.
            return _EMPTY if any(v == [] for v in values.values()) else None
        # Where each stand-in went, and how the backend adapted it.
        wanted: dict[Any, tuple[str, int | None]] = {}
        for name, value in stand_ins.items():
            if isinstance(value, list):
                wanted.update({v: (name, i) for i, v in enumerate(value)})
            elif value is not None and not isinstance(value, bool):
                wanted[value] = (name, None)
        adapters = _adapters(connection)
        slots: list = []
        used = set()
        for param in params:
            found = None
            for stand_in, place in wanted.items():
                for adapter in adapters:
                    try:
                        adapted = adapter(stand_in)
                        if adapted == param and isinstance(param, type(adapted)):
                            if type(param) is not type(adapted):  # a typed wrapper (psycopg's Int4)
                                adapter = _then(adapter, type(param))
                            found = (stand_in, place, adapter)
                            break
                    except (TypeError, ValueError, AttributeError):
                        continue
                if found:
                    break
            if found:
                stand_in, (name, index), adapter = found
                used.add(stand_in)
                slots.append(("value", name, index, adapter))
            elif isinstance(param, (date, datetime)) or (isinstance(param, str) and _DATE_TEXT.match(param)):
                return None  # a date the builder made itself (the clock): not reusable
            else:
                slots.append(("const", param))
        if used != set(wanted) or any(str(s).strip("\x1f") in sql for s in wanted):
            return None  # a value went into the SQL text, or was dropped: not reusable
        query = queryset.query
        if queryset._iterable_class is ValuesListIterable:
            names = None
        elif query.selected:
            names = list(query.selected)
        else:
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
        return _Compiled(compiler, sql, slots, names)


class Pending:
    """A statement with its values, waiting to run with others (`together`); `rows` once
    answered. Several callers may wait for the same one (roster.calendar's shared load)."""

    __slots__ = ("asker", "rows", "statement", "values")

    def __init__(self, statement: Statement, values: dict[str, Any]):
        self.statement, self.values, self.rows = statement, values, None
        self.asker = getcurrent()  # the call it runs for (see `answering`)


class _Gathering(greenlet):
    """A call run by `together`: its statements wait for the others' (see `_wait`)."""


def ask(pending: Pending) -> list:
    """The rows of `pending`: inside `together`, once every call running beside this one
    has asked for its own; elsewhere at once."""
    _wait([pending])
    return pending.rows


def _wait(asked: list[Pending]) -> None:
    """Answer these pending statements: inside `together`, by handing them to it (it runs
    them with the other calls' and then resumes this one); elsewhere at once."""
    asked = [pending for pending in asked if pending.rows is None]
    if not asked:
        return
    current = getcurrent()
    if isinstance(current, _Gathering):
        current.parent.switch(asked)
    else:
        _run_pending(asked)


# The call whose statement `_run_pending` runs now (per thread and greenlet).
_answering: contextvars.ContextVar[greenlet | None] = contextvars.ContextVar("skolhubb_answering", default=None)


def answering() -> greenlet:
    """The call (greenlet) a query running now is for: inside `together` the statements of
    several calls run in one place, and a query budget counts each against its own call."""
    return _answering.get() or getcurrent()


def together(calls: list[Callable[[], Any]]) -> list:
    """Call these side by side and return what each returns, in order, with their
    statements sent together: each call runs (in a greenlet, in a copy of the caller's
    context) until it asks a statement for rows; once every call has asked or finished, all
    the asked statements run at once (`_run_pending`), and each call goes on with its rows.
    A cold Hub's dozen box loaders, written as plain functions, so wait for the database
    once or twice instead of a dozen times. Inside a call, `together` hands its calls'
    statements on to the outer one: a loader whose parts do not need each other's rows runs
    them together, and they ride with every other loader's. Only statements wait for each
    other: a plain ORM query inside a call runs when it is reached. The calls must not depend
    on each other through state one of them fills (boxes that share a load run in one call:
    hub.selectors)."""
    results: list = [None] * len(calls)
    waiting: dict[int, tuple[_Gathering, list[Pending]]] = {}

    def step(index: int, runner: _Gathering, asked: Any) -> None:
        if runner.dead:
            results[index] = asked
            waiting.pop(index, None)
        else:
            waiting[index] = (runner, asked)

    for index, call in enumerate(calls):
        runner = _Gathering(call)
        runner.gr_context = contextvars.copy_context()
        step(index, runner, runner.switch())
    while waiting:
        _wait([pending for _runner, asked in waiting.values() for pending in asked])
        for index, (runner, _asked) in list(waiting.items()):
            step(index, runner, runner.switch())
    return results


def _run_pending(asked: list[Pending]) -> None:
    """Answer every pending statement (each once). On PostgreSQL those already prepared on
    their connection go in one pipeline: psycopg sends them all, then reads every result, one
    round trip in all instead of one each. The rest (a statement's first run on a connection,
    which PostgreSQL may refuse prepared; SQLite; a shape the ORM runs) run one after
    another, as a call would."""
    pipelined: dict[Any, list[tuple[Pending, _Compiled]]] = {}
    for pending in dict.fromkeys(asked):  # unanswered (`_wait`), each once
        compiled, connection, values = pending.statement._resolve(pending.values)
        if compiled is not _EMPTY and compiled is not None and compiled.prepare and _prepares(connection):
            pending.values = values
            pipelined.setdefault(connection, []).append((pending, compiled))
        else:
            with _running_for(pending):
                pending.rows = pending.statement._rows(compiled, connection, values)
    for connection, runs in pipelined.items():
        if connection.connection is not None and connection.connection._pipeline is not None:
            for pending, compiled in runs:  # someone's own psycopg pipeline: one after another
                with _running_for(pending):
                    pending.rows = compiled.run(connection, pending.values)
            continue
        for (pending, compiled), rows in zip(runs, _pipeline(connection, runs), strict=True):
            pending.rows = compiled.convert(rows)


class _Queue:
    """The cursor Django's cursor wrapper runs a pipelined statement on (`_pipeline`): it
    only turns the SQL into PostgreSQL's ($1, $2) and dumps the values, as psycopg's cursor
    would, and keeps them to send. Django's wrapper counts and logs each statement as it
    does any query (`_query` is what it logs, as from psycopg's cursor)."""

    def __init__(self, transformer):
        self._tx = transformer
        self._query = None
        self.queries: list = []

    def execute(self, sql: str, params: list) -> None:
        query = _statement_cursor_class()._query_cls(self._tx)
        query.convert(sql, params)  # also dumps the values
        self._query = query
        self.queries.append(query)


def _pipeline(connection, runs: list[tuple[Pending, _Compiled]]) -> list[list[tuple]]:
    """The rows of these prepared statements, sent in one pipeline through libpq: every
    statement queued, then one sync, one flush and the results read back in order.

    psycopg's own pipeline (`connection.pipeline()` and a cursor each) sends each statement
    as it is executed, and each send is a write and a poll of its own: 1.2 ms for seventeen
    trivial statements here, 0.2 ms this way. Everything else is psycopg's: the statement
    names and their life (its prepared-statement cache, which a rollback or a DROP clears
    and which deallocates the least used beyond its size), the dumping of the values and
    the loading of the rows (the statements' cursor's adapters)."""
    from psycopg import errors
    from psycopg._preparing import Prepare
    from psycopg.adapt import Transformer
    from psycopg.generators import fetch_many, send
    from psycopg.pq import ConnStatus, ExecStatus, Format

    cursor = _preparing_cursor(connection)  # ensures the connection; Django's wrapper
    raw = cursor.cursor.connection
    transformer = getattr(raw, "_skolhubb_transformer", None)  # one per connection, as the cursor
    if transformer is None:
        transformer = raw._skolhubb_transformer = Transformer(cursor.cursor)
    queue = _Queue(transformer)
    wrapped = connection._prepare_cursor(queue)
    for pending, compiled in runs:
        token = _answering.set(pending.asker)  # as _running_for, without a generator each
        try:
            wrapped.execute(compiled.sql, compiled.params(pending.values))
        finally:
            _answering.reset(token)
    pgconn, manager = raw.pgconn, raw._prepared
    sent = []  # per statement: its cache key (when prepared here), how, and its name
    failure = None
    with connection.wrap_database_errors, raw.lock:
        pgconn.enter_pipeline_mode()
        try:
            for query in queue.queries:
                prepare, name = manager.get(query, True)
                if prepare is Prepare.SHOULD:
                    pgconn.send_prepare(name, query.query, param_types=query.types)
                pgconn.send_query_prepared(name, query.params, param_formats=query.formats, result_format=Format.TEXT)
                sent.append((manager.maybe_add_to_cache(query, prepare, name), prepare, name))
            pgconn.pipeline_sync()
            raw.wait(send(pgconn))
            results = []
            for key, prepare, name in sent:
                if prepare is Prepare.SHOULD:
                    failure = failure or _failure(raw.wait(fetch_many(pgconn)), pgconn)
                found = raw.wait(fetch_many(pgconn))
                if key is not None:
                    manager.validate(key, prepare, name, found)
                failure = failure or _failure(found, pgconn)
                results.append(found)
            (synced,) = raw.wait(fetch_many(pgconn))
            if synced.status != ExecStatus.PIPELINE_SYNC:
                raise errors.InternalError(f"statements: a pipeline ended with {synced.status!r}, not its sync")
        except BaseException:
            if pgconn.status == ConnStatus.OK:
                try:
                    pgconn.exit_pipeline_mode()
                except errors.Error:  # results left unread: closed, not handed on in that state
                    raw.close()
            raise
        pgconn.exit_pipeline_mode()
        raw.wait(manager.maintain_gen(raw))  # statements the cache let go of, deallocated
        if failure is not None:
            raise failure
        rows = []
        for (result,) in results:
            transformer.set_pgresult(result)
            rows.append(transformer.load_rows(0, result.ntuples, tuple))
        return rows


def _failure(results: list, pgconn):
    """The error a statement's results hold, or None."""
    from psycopg import errors
    from psycopg.pq import ExecStatus

    for result in results:
        if result.status == ExecStatus.FATAL_ERROR:
            return errors.error_from_result(result, encoding=pgconn._encoding)
        if result.status == ExecStatus.PIPELINE_ABORTED:
            return errors.PipelineAborted("pipeline aborted")
    return None


@contextmanager
def _running_for(pending: Pending) -> Iterator[None]:
    token = _answering.set(pending.asker)
    try:
        yield
    finally:
        _answering.reset(token)


def columns(model) -> list[str]:
    """Every column of `model` (attnames), the primary key first: select them with
    `values_list()` to build the instances from the rows (`instance`) where a caller needs
    model instances."""
    pk = model._meta.pk.attname
    return [pk, *(f.attname for f in model._meta.concrete_fields if f.attname != pk)]


def instance(model, names: list[str], row: tuple, start: int, alias: str):
    """The instance whose columns `names` stand in `row` from `start`, as the ORM builds it
    (Model.from_db: the same converted values, the same state); None for a join that found
    nothing (a null primary key, the first of `columns`)."""
    values = row[start : start + len(names)]
    return None if values[0] is None else model.from_db(alias, names, values)


def related_columns(model, related: dict[str, Any]) -> list[str]:
    """`values_list()` names for every column of `model` and of each related model by its path
    ({"group": Group, "group__unit": Unit}): the rows `with_related` builds instances from."""
    names = columns(model)
    for path, other in related.items():
        names += [f"{path}__{c}" for c in columns(other)]
    return names


def with_related(model, related: dict[str, Any], rows, alias: str) -> list:
    """The instances of `model` in `rows` (selected with `related_columns`), each related
    instance cached on its parent as `select_related` caches it (None for a null relation).
    A parent path comes before its children in `related`."""
    parts = [("", model, columns(model))] + [(path, other, columns(other)) for path, other in related.items()]
    result = []
    for row in rows:
        built: dict[str, Any] = {}
        start = 0
        for path, part, names in parts:
            obj = built[path] = instance(part, names, row, start, alias)
            start += len(names)
            if path:
                parent_path, _sep, name = path.rpartition("__")
                parent = built[parent_path]
                if parent is not None:
                    parent._meta.get_field(name).set_cached_value(parent, obj)
        result.append(built[""])
    return result


def all_statements() -> list[Statement]:
    return list(_ALL)
