"""The maxtaxa fee, computed from a FeeRule (data) — no numbers in code.

From 1 July 2026: the fee base is the household's monthly income before tax minus the
deduction (10 000 kr), never below 0 and at most the ceiling; each child pays the rule's
percentage of it for its rank, the youngest child being child 1; a rank beyond the rule's
list (the fourth child) pays nothing. Fees are whole kronor, rounded half up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CARE_KINDS = ("forskola", "fritidshem")


@dataclass(frozen=True)
class RuleData:
    valid_from: date
    income_ceiling: int
    deduction: int
    percent: dict[str, list]  # kind -> percent per rank


@dataclass(frozen=True)
class CareChild:
    child_id: int
    date_of_birth: date
    kind: str  # "forskola" or "fritidshem"


@dataclass(frozen=True)
class ChildFee:
    child_id: int
    kind: str
    rank: int
    percent: Decimal
    fee_base: int
    fee: int


def fee_base(*, rule: RuleData, monthly_income: int | None) -> int:
    """None means "högsta avgift" (or no income reported): the ceiling."""
    if monthly_income is None:
        return rule.income_ceiling
    return min(max(monthly_income - rule.deduction, 0), rule.income_ceiling)


def household_fees(*, rule: RuleData, monthly_income: int | None, children: list[CareChild]) -> list[ChildFee]:
    base = fee_base(rule=rule, monthly_income=monthly_income)
    # Youngest first: the latest birth date is child 1 (ties by id, so the order is stable).
    ranked = sorted(children, key=lambda c: (c.date_of_birth, c.child_id), reverse=True)
    fees = []
    for rank, child in enumerate(ranked, start=1):
        percents = rule.percent.get(child.kind, [])
        percent = Decimal(str(percents[rank - 1])) if rank <= len(percents) else Decimal(0)
        fee = (Decimal(base) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        fees.append(ChildFee(child.child_id, child.kind, rank, percent, base, int(fee)))
    return fees
