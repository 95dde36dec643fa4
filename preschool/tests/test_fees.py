"""The maxtaxa at its boundaries (rule from 1 July 2026: deduction 10 000 kr, fee-base
ceiling 51 560 kr, förskola 3/2/1 %, fritidshem 2/1/1 %, fourth child free)."""

from datetime import date

import pytest

from preschool.fees import CareChild, RuleData, fee_base, household_fees

RULE = RuleData(
    valid_from=date(2026, 7, 1),
    income_ceiling=51560,
    deduction=10000,
    percent={"forskola": [3, 2, 1], "fritidshem": [2, 1, 1]},
)


@pytest.mark.parametrize(
    ("income", "base", "fee"),
    [
        (0, 0, 0),
        (10_000, 0, 0),
        (10_001, 1, 0),  # 3 % of 1 kr rounds to 0
        (10_017, 17, 1),  # 0.51 kr rounds half up to 1
        (40_000, 30_000, 900),
        (61_560, 51_560, 1547),  # the ceiling: 1 546.80 kr
        (61_561, 51_560, 1547),
        (200_000, 51_560, 1547),
        (None, 51_560, 1547),  # högsta avgift / no income reported
    ],
)
def test_one_child_in_forskola(income, base, fee):
    assert fee_base(rule=RULE, monthly_income=income) == base
    [child] = household_fees(rule=RULE, monthly_income=income, children=[CareChild(1, date(2023, 5, 1), "forskola")])
    assert child.fee == fee and child.rank == 1


def test_youngest_is_child_one_across_forskola_and_fritidshem():
    children = [
        CareChild(10, date(2018, 3, 1), "fritidshem"),  # oldest: child 3
        CareChild(11, date(2023, 1, 1), "forskola"),  # youngest: child 1
        CareChild(12, date(2020, 6, 1), "forskola"),  # child 2
        CareChild(13, date(2016, 6, 1), "fritidshem"),  # child 4: free
    ]
    fees = {f.child_id: f for f in household_fees(rule=RULE, monthly_income=61_560, children=children)}
    assert (fees[11].rank, fees[11].fee) == (1, 1547)  # 3 %
    assert (fees[12].rank, fees[12].fee) == (2, 1031)  # 2 % of 51 560 = 1 031.20
    assert (fees[10].rank, fees[10].fee) == (3, 516)  # fritidshem child 3: 1 % = 515.60
    assert (fees[13].rank, fees[13].fee) == (4, 0)


def test_fritidshem_child_one_pays_two_percent():
    [child] = household_fees(rule=RULE, monthly_income=61_560, children=[CareChild(1, date(2017, 1, 1), "fritidshem")])
    assert child.fee == 1031
