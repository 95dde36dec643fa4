"""SQL that the ORM's lookups write in a shape PostgreSQL plans badly."""

from __future__ import annotations

from django.db.models import BooleanField, Lookup


class InRows(Lookup):
    """`lhs IN (subquery)`, written for PostgreSQL as `lhs = ANY(ARRAY(subquery))`.

    Asked as a semi-join (`IN`), a subquery that picks a unit's few dozen children from a
    table of thousands is planned on estimates: PostgreSQL chose a sequential scan of every
    base schedule for a principal's 39 children (docs/scaling.md §1l). As an array, the
    subquery runs first, once, and the outer rows are found through their index as for a list
    of ids, without the ids making a round trip to the web process first. Other databases
    (SQLite) get the plain `IN`. Use it as a filter: `.filter(InRows(F("child_id"),
    Subquery(placements.values("child_id"))))`."""

    lookup_name = "in_rows"
    output_field = BooleanField()
    can_use_none_as_rhs = False

    def _sides(self, compiler):
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = compiler.compile(self.rhs)
        return lhs, rhs, (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler)
        return f"{lhs} IN {rhs}", params

    def as_postgresql(self, compiler, connection):
        lhs, rhs, params = self._sides(compiler)
        return f"{lhs} = ANY(ARRAY{rhs})", params
