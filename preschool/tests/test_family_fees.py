"""The guardian's fee view (selectors.family_fees, the "avgift" box) computes only the
households of the given children, yet gives each child exactly its row in the fee list
(selectors.fee_rows): the same household, rank, percent and fee, whichever of the family's
children are asked for at once (the Hub loads only the children whose cached entry is missing)
and wherever the siblings are placed."""

from dataclasses import astuple
from datetime import date
from itertools import count

import pytest

from accounts.models import User
from preschool import selectors
from preschool.models import IncomeReport
from roster.models import Child, Guardianship, Placement, Unit
from roster.personnummer import with_check_digit
from tests.test_child_topics import _families

pytestmark = pytest.mark.django_db

MONTH = date(2026, 11, 1)  # the suite's month (conftest.SUITE_NOW)
_serial = count(700)


def _rows(rows) -> list[tuple]:
    return [astuple(r) for r in rows]


def _fee_list(month: date, unit_id: int | None, lists: dict) -> list[selectors.FeeRow]:
    """The fee list of one unit (None: of every unit), computed once per test."""
    if (month, unit_id) not in lists:
        lists[month, unit_id] = selectors.fee_rows(month=month, unit_ids=None if unit_id is None else {unit_id})[1]
    return lists[month, unit_id]


def _family_view_is_the_fee_list(
    children: list[Child], month: date, lists: dict | None = None
) -> dict[int, selectors.FeeRow]:
    """The family's rows equal, in order, the municipality's fee list and the fee list of each
    of the family's units restricted to the family's children; each child asked for alone gets
    the same row. Returns the family's rows."""
    lists = {} if lists is None else lists
    ids = {c.pk for c in children}
    _rule, family = selectors.family_fees(children=children, month=month)
    everyone = _fee_list(month, None, lists)
    expected = [r for r in everyone if r.child_id in ids]
    assert _rows(family.values()) == _rows(expected)
    assert list(family) == [r.child_id for r in expected]
    placed: dict[int, set[int]] = {}
    for p in selectors.care_placements_active_in(month, child_ids=ids):
        placed.setdefault(p.unit_id, set()).add(p.child_id)
    for unit_id, at_unit_ids in placed.items():  # a principal of one unit sees the same rows
        at_unit = _fee_list(month, unit_id, lists)
        assert _rows(r for r in at_unit if r.child_id in ids) == _rows(r for r in expected if r.child_id in at_unit_ids)
    for child in children:
        _rule, alone = selectors.family_fees(children=[child], month=month)
        assert _rows(alone.values()) == _rows([family[child.pk]] if child.pk in family else [])
    return family


def test_every_demo_family_sees_its_rows_of_the_fee_list(demo):
    month = MONTH
    seen, lists = [], {}
    for viewer in _families():
        children = [c for c in viewer.children if c.user_id != viewer.user.pk]
        seen += _family_view_is_the_fee_list(children, month, lists).values()
    # The demo has what the comparison must cover: a household report, högsta avgift without
    # a report, a second child in the household, fritidshem as well as förskola.
    assert {r.household.startswith("Inkomstuppgift") for r in seen} == {True, False}
    assert {r.kind for r in seen} == {"forskola", "fritidshem"}
    assert max(r.rank for r in seen) >= 2


def _guardian(name: str) -> User:
    return User.objects.create(email=f"{name}.{next(_serial)}@example.se")


def _child(given: str, born: date, *, guardians: list[User], unit: Unit | None) -> Child:
    nine = f"{born:%y%m%d}{next(_serial):03d}"
    child = Child.objects.create(
        given_name=given,
        family_name="Lind",
        date_of_birth=born,
        personnummer=f"{born:%Y}"[:2] + nine + with_check_digit(nine),
    )
    for guardian in guardians:
        Guardianship.objects.create(guardian=guardian, child=child, start_date=date(2025, 1, 1))
    if unit is not None:
        Placement.objects.create(child=child, unit=unit, start_date=date(2025, 1, 1))
    return child


def _report(*, children: list[Child], reported_by: User, income: int | None, valid_from: date = MONTH):
    report = IncomeReport.objects.create(
        reported_by=reported_by, monthly_income=income, highest_fee=income is None, valid_from=valid_from
    )
    report.children.set(children)
    report.guardians.set([reported_by])
    return report


@pytest.fixture
def lind(demo):
    """P and Q's children in two units and out of care; a half-sibling (P's only); R, P's
    partner, with a child of R's only at a third unit."""
    lonnen = Unit.objects.create(name="Lönnens förskola", kind="forskola", code="TEST-LONNEN")
    p, q, r = _guardian("p"), _guardian("q"), _guardian("r")
    return {
        "p": p,
        "r": r,
        "lonnen": lonnen,
        "ada": _child("Ada", date(2023, 3, 1), guardians=[p, q], unit=demo["solrosen"]),
        "bo": _child("Bo", date(2018, 5, 1), guardians=[p, q], unit=demo["fritids"]),
        "cia": _child("Cia", date(2016, 1, 1), guardians=[p, q], unit=demo["norrskolan"]),  # school, no care
        "dan": _child("Dan", date(2022, 8, 1), guardians=[p], unit=demo["solrosen"]),  # half-sibling
        "eva": _child("Eva", date(2024, 2, 1), guardians=[r], unit=lonnen),
    }


def test_siblings_in_different_units_without_a_report(lind):
    """No report: one household per set of guardians. Ada (förskola) is child 1, Bo at the
    fritidshem child 2, also in the fritidshem's own list; Cia has no care and is not counted;
    Dan (P's only) is a household of his own."""
    family = _family_view_is_the_fee_list([lind["ada"], lind["bo"], lind["cia"], lind["dan"]], MONTH)
    got = {c: (family[lind[c].pk].rank, family[lind[c].pk].percent, family[lind[c].pk].fee) for c in ("ada", "bo")}
    assert got == {"ada": (1, "3", 1547), "bo": (2, "1", 516)}
    assert lind["cia"].pk not in family
    assert (family[lind["dan"].pk].rank, family[lind["dan"].pk].fee) == (1, 1547)
    assert {r.income for r in family.values()} == {"högsta avgift"}


def test_a_report_that_names_a_child_of_another_guardian(lind):
    """P's household report names Ada, Bo and Eva (R's child, at a unit none of P's children
    attend): Eva, the youngest, is child 1 for the rank in P's view too."""
    _report(children=[lind["ada"], lind["bo"], lind["eva"]], reported_by=lind["p"], income=40_000)
    family = _family_view_is_the_fee_list([lind["ada"], lind["bo"], lind["dan"]], MONTH)
    assert (family[lind["ada"].pk].rank, family[lind["ada"].pk].fee) == (2, 600)  # 2 % of 30 000
    assert (family[lind["bo"].pk].rank, family[lind["bo"].pk].fee) == (3, 300)  # fritidshem child 3: 1 %
    assert family[lind["dan"].pk].household == "Ingen inkomstuppgift (högsta avgift)"
    assert _family_view_is_the_fee_list([lind["eva"]], MONTH)[lind["eva"].pk].rank == 1


def test_a_newer_report_for_one_child_and_a_report_from_a_later_month(lind):
    """The report in effect is per child: a newer one for Bo alone takes him out of the first
    household; a report valid from next month changes nothing yet."""
    _report(children=[lind["ada"], lind["bo"]], reported_by=lind["p"], income=40_000)
    _report(children=[lind["bo"]], reported_by=lind["p"], income=None)
    _report(children=[lind["ada"]], reported_by=lind["p"], income=10_000, valid_from=date(2026, 12, 1))
    family = _family_view_is_the_fee_list([lind["ada"], lind["bo"]], MONTH)
    assert (family[lind["ada"].pk].rank, family[lind["ada"].pk].fee) == (1, 900)  # 3 % of 30 000
    assert (family[lind["bo"].pk].rank, family[lind["bo"].pk].fee) == (1, 1031)  # högsta avgift, 2 %
    december = _family_view_is_the_fee_list([lind["ada"], lind["bo"]], date(2026, 12, 1))
    assert december[lind["ada"].pk].fee == 0


def test_family_fees_runs_one_query_whatever_the_household(lind, django_assert_num_queries):
    # One UNION ALL: the rule, the siblings' guardianships, the reports in effect, the care
    # placements.
    with django_assert_num_queries(1):
        _rule, small = selectors.family_fees(children=[lind["dan"]], month=MONTH)
    _report(children=[lind["ada"], lind["bo"], lind["eva"]], reported_by=lind["p"], income=40_000)
    with django_assert_num_queries(1):
        _rule, large = selectors.family_fees(children=[lind[c] for c in ("ada", "bo", "cia", "dan")], month=MONTH)
    assert len(small) == 1 and len(large) == 3
