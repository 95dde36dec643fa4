"""config.sql.InRows: `IN (subquery)`, which PostgreSQL runs as an array of the subquery's
rows (found through the outer table's index, as for a list of ids)."""

import pytest
from django.db import connection
from django.db.models import F, Subquery
from django.utils import timezone

from config.sql import InRows
from roster.models import Placement, active_q
from schedules.models import BaseSchedule

pytestmark = pytest.mark.django_db


def _placed(unit_ids: list[int]):
    return (
        Placement.objects.filter(active_q(on=timezone.localdate()), unit_id__in=unit_ids).order_by().values("child_id")
    )


def _bases(condition) -> set[int]:
    return set(BaseSchedule.objects.filter(condition).values_list("pk", flat=True))


def test_the_rows_are_those_of_a_plain_in(demo):
    from django.db.models import Q

    cases = [[demo["solrosen"].pk], [demo["solrosen"].pk, demo["fritids"].pk], [demo["norrskolan"].pk], [0]]
    found = []
    for units in cases:
        expected = _bases(Q(child_id__in=_placed(units)))
        assert _bases(InRows(F("child_id"), Subquery(_placed(units)))) == expected
        found.append(len(expected))
    assert found[0] and found[1] > found[0] and found[-1] == 0, found


def test_postgresql_gets_an_array_and_other_databases_a_plain_in(demo):
    sql = str(BaseSchedule.objects.filter(InRows(F("child_id"), Subquery(_placed([demo["solrosen"].pk])))).query)
    if connection.vendor == "postgresql":
        assert '"child_id" = ANY(ARRAY(SELECT' in sql, sql
    else:
        assert '"child_id" IN (SELECT' in sql, sql
