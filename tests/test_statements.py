"""config.statements: a values() query built and compiled once, then run with new values,
gives exactly the ORM's rows (converters included), and refuses to reuse a statement whose
SQL depends on more than its arguments."""

from datetime import date, timedelta

import pytest
from django.db.models import Q
from django.utils import timezone

from config.statements import Statement
from roster.models import Child, Placement

pytestmark = pytest.mark.django_db


def _counting(build):
    calls = []

    def counted(**values):
        calls.append(values)
        return build(**values)

    return Statement(counted), calls


def _placements(child_ids, on, kind, with_group):
    qs = Placement.objects.filter(child_id__in=child_ids, start_date__lte=on, unit__kind=kind)
    if with_group is not None:
        qs = qs.filter(group__isnull=not with_group)
    return qs.order_by("child_id", "id").values("id", "child_id", "start_date", "end_date", "unit__name", "group_id")


def test_rows_are_the_orms_and_the_query_is_built_once_per_shape(demo):
    statement, calls = _counting(_placements)
    children = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    today = timezone.localdate()
    cases = [
        (children[:3], today, "grundskola", None),
        (children[3:6], today - timedelta(days=30), "forskola", None),  # same shape: no new build
        (children[:5], today, "grundskola", True),  # another shape: built again
        (children[2:7], date(2026, 8, 1), "fritidshem", True),
        ([], today, "forskola", None),  # nothing to look for
        (children[:3] + children[:3], today, "grundskola", None),  # duplicates: the same IN
    ]
    builds = []
    for ids, on, kind, with_group in cases:
        expected = list(_placements(ids, on, kind, with_group))
        before = len(calls)
        assert statement(child_ids=ids, on=on, kind=kind, with_group=with_group) == expected
        builds.append(len(calls) - before)
    assert any(statement(child_ids=children, on=today, kind="grundskola", with_group=None))
    # Built for the first call of each shape (how many ids, the group filter), then reused:
    # the second, fourth and sixth calls repeat a shape with other values and build nothing.
    assert builds[0] and builds[2] and builds[4]
    assert builds[1] == builds[3] == builds[5] == 0, builds


def test_dates_and_datetimes_come_back_converted(demo):
    def build(since):
        return Child.objects.filter(created_at__gte=since).order_by("pk").values("pk", "date_of_birth", "created_at")

    statement = Statement(build)
    since = timezone.now() - timedelta(days=3650)
    for moment in (since, since + timedelta(seconds=1)):
        assert statement(since=moment) == list(build(moment))
    row = statement(since=since)[0]
    assert isinstance(row["date_of_birth"], date) and row["created_at"].tzinfo is not None


def test_a_builder_that_reads_the_clock_or_inlines_a_value_is_never_reused(demo):
    """The clock read inside `build` would be frozen into the statement: it runs through the
    ORM every time. So does a value that ends up in the SQL text (a slice's limit)."""

    def clock(kind):
        return Placement.objects.filter(unit__kind=kind, start_date__lte=timezone.localdate()).values("id")

    statement, calls = _counting(clock)
    for _ in range(3):
        assert statement(kind="forskola") == list(clock("forskola"))
    assert len(calls) >= 3

    def limited(kind, n):
        return Placement.objects.filter(unit__kind=kind).order_by("pk").values("id")[:n]

    statement, calls = _counting(limited)
    assert statement(kind="forskola", n=2) == list(limited("forskola", 2))
    assert statement(kind="forskola", n=3) == list(limited("forskola", 3))
    assert len(calls) >= 3


def test_or_and_repeated_values(demo):
    def build(unit_ids, group_ids, kind):
        return (
            Placement.objects.filter(Q(unit_id__in=unit_ids) | Q(group_id__in=group_ids))
            .filter(unit__kind=kind)
            .order_by("pk")
            .values("pk", "unit_id", "group_id")
        )

    statement = Statement(build)
    units = [demo["norrskolan"].pk, demo["solrosen"].pk]
    groups = [demo["3b"].pk, demo["solen"].pk]
    for args in ((units, groups[:1], "grundskola"), (units[::-1], groups[1:], "forskola"), (units, [], "forskola")):
        assert statement(unit_ids=args[0], group_ids=args[1], kind=args[2]) == list(build(*args))


def test_values_list_and_union_all(demo):
    """Tuples from values_list(), also for a UNION ALL of two models (the shared calendar's
    and the Frånvaro box's kind of query)."""
    from django.db.models import CharField, Value

    from roster.models import ClosedPeriod, Term

    def build(unit_ids, start, end):
        closed = (
            ClosedPeriod.objects.filter(start_date__lte=end, end_date__gte=start)
            .filter(Q(unit__isnull=True) | Q(unit_id__in=unit_ids))
            .order_by()
            .values_list(Value("c", output_field=CharField()), "id", "start_date", "end_date")
        )
        terms = (
            Term.objects.filter(start_date__lte=end)
            .order_by()
            .values_list(Value("t", output_field=CharField()), "id", "start_date", "end_date")
        )
        return closed.union(terms, all=True).order_by()

    statement, calls = _counting(build)
    units = [demo["norrskolan"].pk, demo["solrosen"].pk]
    for start, end in ((date(2026, 8, 1), date(2027, 8, 31)), (date(2026, 12, 1), date(2027, 1, 31))):
        assert sorted(statement(unit_ids=units, start=start, end=end)) == sorted(build(units, start, end))
    assert any(row[0] == "c" for row in statement(unit_ids=units, start=date(2026, 8, 1), end=date(2027, 8, 31)))
    assert len(calls) == 2  # the model, then the one compile


def test_the_hubs_statements_are_all_reused(demo, eid_user_client):
    """A statement that cannot be reused still answers right (through the ORM), so only this
    test notices the lost saving: a cold Hub for every demo persona (families with e-ID, staff)
    leaves every statement of the platform compiled, none refused."""
    from django.urls import reverse

    from config.statements import all_statements
    from tests.test_query_budgets import _cold, every_persona

    for client in every_persona(eid_user_client).values():
        _cold()
        assert client.get(reverse("hub:dashboard")).status_code == 200
    platform = [s for s in all_statements() if not s.name.startswith("tests.")]
    used = [s for s in platform if s._compiled]
    assert len(used) >= 10, [s.name for s in used]
    assert not [s.name for s in platform if s.refused]


@pytest.fixture
def on_postgresql(transactional_db):
    """Statements are prepared only outside a transaction (the first time: see
    config.statements._Compiled._fetch), so these tests run without the test's transaction."""
    from django.db import connection

    from conftest import require_service

    require_service(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL)")


def _users(count: int) -> list[int]:
    from accounts.models import User

    return [User.objects.create_user(email=f"statement{i}@example.se", password=None).pk for i in range(count)]


def _emails(ids):
    from accounts.models import User

    return User.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "email")


@pytest.mark.services
def test_statements_are_prepared_on_postgresql(on_postgresql):
    """On PostgreSQL a statement is prepared on its connection (parsed once, planned once its
    generic plan is chosen), and gives the ORM's rows with other values."""
    from django.db import connection

    statement = Statement(_emails)
    ids = _users(9)
    for chunk in (ids[:3], ids[3:6], ids[6:9]):
        assert statement(ids=chunk) == list(_emails(chunk))
    [compiled] = statement._compiled.values()
    assert compiled.prepare is True
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    assert any('"accounts_user"."id" IN ($1, $2, $3)' in sql for sql in prepared), prepared


@pytest.mark.services
def test_a_statement_postgresql_refuses_prepared_binds_on_the_client(on_postgresql):
    """A parameter whose type PostgreSQL cannot tell (`$1 IS NULL`) is refused bound on the
    server; the statement then binds on the client like Django's queries and gives the right
    rows. Inside a transaction a statement is not tried (an error would end the transaction)."""
    from django.db import transaction
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    from accounts.models import User

    def build(ids, word):
        flag = RawSQL("%s IS NULL", [word], output_field=BooleanField())
        return User.objects.filter(pk__in=ids).annotate(flag=flag).order_by("pk").values_list("pk", "flag")

    ids = _users(2)
    inside = Statement(build)
    with transaction.atomic():
        assert inside(ids=ids, word="hej") == [(pk, False) for pk in ids]
        assert User.objects.filter(pk__in=ids).count() == 2
    assert [c.prepare for c in inside._compiled.values()] == [None]  # not tried in a transaction
    statement = Statement(build)
    assert statement(ids=ids, word="hej") == [(pk, False) for pk in ids]
    assert statement(ids=ids, word="hopp") == [(pk, False) for pk in ids]
    assert User.objects.filter(pk__in=ids).count() == 2  # the connection goes on
    assert [c.prepare for c in statement._compiled.values()] == [False]


@pytest.mark.services
def test_statements_share_one_binding_cursor_per_connection(on_postgresql):
    """Every statement on a connection runs on the same server-binding cursor (a new cursor
    looked up every column's loader again), kept on the psycopg connection: each connection
    of Django's pool keeps its own from one request to the next, and a statement's error
    leaves the next one working."""
    from django.db import DatabaseError, connection

    from config.statements import _preparing_cursor

    ids = _users(3)
    first, second = Statement(_emails), Statement(lambda ids: _emails(ids).values_list("email", flat=True))
    assert first(ids=ids) == list(_emails(ids))
    raw = connection.connection
    kept = raw._skolhubb_binding_cursor
    assert second(ids=ids) == [email for _pk, email in _emails(ids)]
    assert raw._skolhubb_binding_cursor is kept and not kept.closed
    with pytest.raises(DatabaseError):
        _preparing_cursor(connection).execute("SELECT no_such_column FROM accounts_user")
    assert first(ids=ids[:1]) == list(_emails(ids[:1]))

    connection.close()  # back to the pool (or closed, without one)
    assert first(ids=ids) == list(_emails(ids))
    now = connection.connection
    assert now._skolhubb_binding_cursor.connection is now
    assert (now._skolhubb_binding_cursor is kept) == (now is raw)


@pytest.mark.services
def test_a_statements_datetimes_are_the_orms_in_utc_on_postgresql(on_postgresql):
    """The statements' cursor loads timestamps with psycopg's own loader (Django's adds a
    Python step per value): the same datetimes as the ORM's, in UTC as Django gives them."""
    from datetime import UTC

    from accounts.models import User

    ids = _users(3)
    User.objects.filter(pk=ids[0]).update(last_login=timezone.now())

    def build(ids):
        return User.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "date_joined", "last_login")

    statement = Statement(build)
    for _ in range(2):  # the second run prepared, on the statements' own cursor
        rows = statement(ids=ids)
        assert rows == list(build(ids))
    assert all(r[1].tzinfo is UTC for r in rows) and rows[0][2].tzinfo is UTC and rows[1][2] is None
    assert all(c.prepare for c in statement._compiled.values())
    from django.db import connection
    from psycopg import adapters
    from psycopg.pq import Format

    from config.statements import _preparing_cursor

    oid = adapters.types["timestamptz"].oid
    loader = _preparing_cursor(connection).cursor.adapters.get_loader(oid, Format.TEXT)
    assert loader.__module__.startswith("psycopg"), loader  # not Django's BaseTzLoader


@pytest.mark.services
def test_a_long_statements_sql_is_converted_for_postgresql_once(on_postgresql, monkeypatch):
    """psycopg converts a query's %s to $n anew on every run once it has more than fifty
    parameters (or 4 096 bytes); a statement's SQL is converted once per process and the
    rows stay the ORM's, with every run's own values."""
    from psycopg import _queries

    from config import statements

    converted = []
    real = _queries._query2pg_nocache

    def counting(query, encoding):
        converted.append(query)
        return real(query, encoding)

    monkeypatch.setattr(_queries, "_query2pg_nocache", counting)
    monkeypatch.setattr(statements, "_CONVERTED", {})
    ids = _users(60)
    statement = Statement(_emails)
    for chunk in (ids, list(reversed(ids)), ids[:1] + ids[2:] + ids[1:2]):  # prepared from the second run
        assert statement(ids=chunk) == list(_emails(chunk))
    assert statement._compiled and all(c.prepare for c in statement._compiled.values())
    assert len(converted) == 1 and converted[0].count(b"%s") == 60, [len(q) for q in converted]
    assert statement(ids=ids[:59] + [max(ids) + 1000]) == list(_emails(ids[:59]))  # the values change


# --- Statements run together (config.statements.together) --------------------------------


def test_calls_run_together_give_what_each_gives_alone(demo):
    """`together` returns each call's own result, in order, whatever the order the calls'
    statements were answered in; a call with two statements gets both; a call that asks
    nothing, and an exception, behave as a plain call."""
    from django.utils import translation

    from config.statements import together

    statement, _calls = _counting(_placements)
    children = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    today = timezone.localdate()

    def two(kind):
        first = statement(child_ids=children[:4], on=today, kind=kind, with_group=None)
        second = statement(child_ids=children[4:], on=today, kind=kind, with_group=True)
        return first, second, translation.get_language()

    alone = [two("grundskola"), two("forskola"), "nothing"]
    with translation.override("en"):  # the calls run in the caller's context
        assert together([lambda: two("grundskola"), lambda: two("forskola"), lambda: "nothing"]) == [
            (*alone[0][:2], "en"),
            (*alone[1][:2], "en"),
            "nothing",
        ]

    def failing():
        statement(child_ids=children[:2], on=today, kind="grundskola", with_group=None)
        raise LookupError("from the call")

    with pytest.raises(LookupError, match="from the call"):
        together([lambda: two("grundskola"), failing])


def test_a_load_several_calls_wait_for_runs_once(demo, django_assert_num_queries):
    """Two calls that ask for the same pending load (roster.calendar's shared calendar, while
    the Hub's boxes run together) wait for one query, and both get its rows."""
    from config.statements import ask, together

    statement, _calls = _counting(_placements)
    children = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    shared = statement.later(child_ids=children, on=timezone.localdate(), kind="grundskola", with_group=None)
    expected = list(_placements(children, timezone.localdate(), "grundskola", None))
    with django_assert_num_queries(1):
        first, second = together([lambda: ask(shared), lambda: ask(shared)])
    assert first == second == expected
    with django_assert_num_queries(0):
        assert ask(shared) == expected  # answered: asked again, no query


@pytest.mark.services
def test_statements_asked_together_share_one_round_trip_on_postgresql(on_postgresql):
    """On PostgreSQL the statements asked by calls run together go to the server in one
    pipeline (config.statements._pipeline: queued, then sent and read together) once each is
    prepared on the connection; the first run of each, which PostgreSQL may refuse prepared,
    goes alone. Django's cursor wrapper sees each of them (counted, logged)."""
    from django.db import connection

    from config.statements import _Queue, together

    ids = _users(6)
    first, second = Statement(_emails), Statement(lambda ids: _emails(ids).values_list("email"))
    queues: list = []

    def noting(execute, sql, params, many, context):
        queues.append(context["cursor"].cursor)
        return execute(sql, params, many, context)

    def calls():
        return [lambda: first(ids=ids[:3]), lambda: second(ids=ids[3:]), lambda: first(ids=ids[:1])]

    expected = [list(_emails(ids[:3])), [(email,) for _pk, email in _emails(ids[3:])], list(_emails(ids[:1]))]
    with connection.execute_wrapper(noting):
        assert together(calls()) == expected
    assert [isinstance(q, _Queue) for q in queues] == [False, False, False]  # each one's first run here
    queues.clear()
    with connection.execute_wrapper(noting):
        assert together(calls()) == expected
    assert len(queues) == 3 and isinstance(queues[0], _Queue) and len({id(q) for q in queues}) == 1

    # A call that runs its own parts together hands their statements on: one pipeline still.
    queues.clear()
    a, b, c = calls()
    with connection.execute_wrapper(noting):
        assert together([a, lambda: together([b, c])]) == [expected[0], expected[1:]]
    assert len(queues) == 3 and isinstance(queues[0], _Queue) and len({id(q) for q in queues}) == 1


def _shares(ids, divisor):
    from django.db.models import IntegerField
    from django.db.models.expressions import RawSQL

    from accounts.models import User

    share = RawSQL("100 / %s", [divisor], output_field=IntegerField())
    return User.objects.filter(pk__in=ids).annotate(share=share).order_by("pk").values_list("pk", "share")


@pytest.mark.services
def test_a_statement_failing_in_a_pipeline_raises_and_the_connection_goes_on(on_postgresql):
    """A statement that fails on the server inside a pipeline raises Django's error, as it
    would alone, not an answer of the statements after it; the connection and the statements
    prepared on it go on working."""
    from django.db import DataError

    from config.statements import together

    ids = _users(3)
    dividing, emails = Statement(_shares), Statement(_emails)
    assert dividing(ids=ids, divisor=4) == [(pk, 25) for pk in ids]  # prepared here, alone
    assert emails(ids=ids) == list(_emails(ids))
    with pytest.raises(DataError, match="division by zero"):
        together([lambda: dividing(ids=ids, divisor=0), lambda: emails(ids=ids)])
    with pytest.raises(DataError, match="division by zero"):
        together([lambda: emails(ids=ids), lambda: dividing(ids=ids, divisor=0)])
    assert together([lambda: dividing(ids=ids, divisor=5), lambda: emails(ids=ids[:2])]) == [
        [(pk, 20) for pk in ids],
        list(_emails(ids[:2])),
    ]


@pytest.mark.services
def test_statements_prepared_again_in_the_pipeline_after_a_rollback(on_postgresql):
    """A rollback makes psycopg let go of the connection's prepared statements (DEALLOCATE
    ALL); the pipeline asks psycopg's cache for each statement's name, so it prepares them
    again on the way (in the same round trip) instead of naming statements that are gone."""
    from django.db import connection, transaction

    from accounts.models import User
    from config.statements import together

    ids = _users(4)
    first, second = Statement(_emails), Statement(lambda ids: _emails(ids).values_list("email"))

    def calls():
        return [lambda: first(ids=ids[:2]), lambda: second(ids=ids[2:])]

    expected = [list(_emails(ids[:2])), [(email,) for _pk, email in _emails(ids[2:])]]
    assert together(calls()) == expected  # each prepared on its first run
    assert together(calls()) == expected  # in one pipeline

    def prepared():
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [sql for (sql,) in cursor.fetchall() if '"accounts_user"."id" IN ($1, $2)' in sql]

    assert len(prepared()) == 2
    with pytest.raises(RuntimeError), transaction.atomic():
        User.objects.filter(pk=ids[0]).update(first_name="Ångrad")
        raise RuntimeError
    assert prepared() == []
    assert together(calls()) == expected
    assert len(prepared()) == 2
    assert User.objects.get(pk=ids[0]).first_name == ""


@pytest.mark.services
def test_statements_asked_inside_psycopgs_own_pipeline_run_one_after_another(on_postgresql):
    """Inside a pipeline of psycopg's own (nothing of the platform opens one, but a caller
    may), the statements asked together do not start a second one on the same connection:
    they run one after another on psycopg's, and give the same rows."""
    from django.db import connection

    from config.statements import _Queue, together

    ids = _users(4)
    first, second = Statement(_emails), Statement(lambda ids: _emails(ids).values_list("email"))

    def calls():
        return [lambda: first(ids=ids[:2]), lambda: second(ids=ids[2:])]

    expected = [list(_emails(ids[:2])), [(email,) for _pk, email in _emails(ids[2:])]]
    assert together(calls()) == expected  # prepared, each on its first run
    queues: list = []

    def noting(execute, sql, params, many, context):
        queues.append(context["cursor"].cursor)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(noting), connection.connection.pipeline():
        assert together(calls()) == expected
    assert len(queues) == 2 and not any(isinstance(q, _Queue) for q in queues)
    assert together(calls()) == expected  # and the libpq pipeline again after it
