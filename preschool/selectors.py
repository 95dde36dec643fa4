"""Reads for the preschool e-services. Each selector runs a fixed number of queries,
whatever the number of households or children."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q

from preschool.fees import CARE_KINDS, CareChild, household_fees, rule_data
from preschool.models import FeeRule, IncomeReport, PlacementNotice, UnitNoticePeriod
from roster.models import Child, Guardianship, Placement, active_q


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    import calendar

    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def fee_rule_for(month: date) -> FeeRule | None:
    """One query: the rule in force for the month."""
    return FeeRule.objects.filter(valid_from__lte=month_end(month)).order_by("-valid_from").first()


def notice_months_for(unit_id: int) -> int:
    row = UnitNoticePeriod.objects.filter(unit_id=unit_id).values_list("months", flat=True).first()
    return row if row is not None else 2


def care_placements_active_in(month: date, *, child_ids=None, unit_ids=None) -> list[Placement]:
    """One query: placements in förskola/fritidshem that overlap the month."""
    qs = Placement.objects.filter(unit__kind__in=CARE_KINDS, start_date__lte=month_end(month)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=month)
    )
    if child_ids is not None:
        qs = qs.filter(child_id__in=child_ids)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return list(qs.select_related("child", "unit").order_by("child_id", "start_date"))


def reports_in_effect(month: date, *, child_ids) -> dict[int, IncomeReport]:
    """child id → the report in effect for the month (latest valid_from on or before it).
    Two queries (reports, their children)."""
    reports = (
        IncomeReport.objects.filter(children__in=child_ids, valid_from__lte=month)
        .distinct()
        .order_by("valid_from", "created_at")
        .prefetch_related(Prefetch("children", queryset=Child.objects.only("pk")))
    )
    effect: dict[int, IncomeReport] = {}
    for report in reports:  # later reports overwrite earlier ones
        for child in report.children.all():
            if child.pk in child_ids:
                effect[child.pk] = report
    return effect


@dataclass
class FeeRow:
    household: str
    child_id: int
    child_name: str
    unit_name: str
    kind: str
    rank: int
    percent: str
    income: str
    fee_base: int
    fee: int


def fee_rows(*, month: date, unit_ids=None) -> tuple[FeeRule | None, list[FeeRow]]:
    """The finance list: every child in care during the month with its household's fee.
    A household is the children of one income report; children without a report are
    grouped by their guardians and pay the highest fee. Six queries in all."""
    rule = fee_rule_for(month)
    if rule is None:
        return None, []
    placements = care_placements_active_in(month, unit_ids=unit_ids)
    by_child: dict[int, Placement] = {}
    for p in placements:
        by_child.setdefault(p.child_id, p)
    if not by_child:
        return rule, []
    # Siblings outside the listed units still count for the rank: load the whole households.
    guardianships = list(
        Guardianship.objects.filter(active_q(on=month_end(month)), child_id__in=by_child).values_list(
            "guardian_id", "child_id"
        )
    )
    guardians_of: dict[int, set[int]] = defaultdict(set)
    for guardian_id, child_id in guardianships:
        guardians_of[child_id].add(guardian_id)
    sibling_ids = set(
        Guardianship.objects.filter(
            active_q(on=month_end(month)), guardian_id__in={g for g, _c in guardianships}
        ).values_list("child_id", flat=True)
    )
    all_care = {p.child_id: p for p in care_placements_active_in(month, child_ids=sibling_ids | set(by_child))}
    reports = reports_in_effect(month, child_ids=set(all_care))
    households: dict[object, list[int]] = defaultdict(list)
    for child_id in all_care:
        report = reports.get(child_id)
        key = ("report", report.pk) if report else ("guardians", frozenset(guardians_of.get(child_id, {child_id})))
        households[key].append(child_id)
    data = rule_data(rule)
    rows = []
    for child_ids in households.values():
        report = reports.get(child_ids[0])
        income = None if report is None or report.highest_fee else report.monthly_income
        care_children = [
            CareChild(cid, all_care[cid].child.date_of_birth, all_care[cid].unit.kind) for cid in child_ids
        ]
        label = f"Inkomstuppgift {report.pk}" if report else "Ingen inkomstuppgift (högsta avgift)"
        for fee in household_fees(rule=data, monthly_income=income, children=care_children):
            if fee.child_id not in by_child:
                continue  # a sibling at another unit: counted for the rank, listed there
            child = all_care[fee.child_id].child
            rows.append(
                FeeRow(
                    household=label,
                    child_id=fee.child_id,
                    child_name=f"{child.given_name} {child.family_name}",
                    unit_name=all_care[fee.child_id].unit.name,
                    kind=fee.kind,
                    rank=fee.rank,
                    percent=f"{fee.percent:g}",
                    income="högsta avgift" if income is None else str(income),
                    fee_base=fee.fee_base,
                    fee=fee.fee,
                )
            )
    rows.sort(key=lambda r: (r.household, r.rank))
    return rule, rows


def family_fees(*, children: list[Child], month: date) -> tuple[FeeRule | None, dict[int, FeeRow]]:
    """The guardian's own view: the fee per child of theirs for the month."""
    rule = fee_rule_for(month)
    if rule is None or not children:
        return rule, {}
    ids = {c.pk for c in children}
    placements = care_placements_active_in(month, child_ids=ids)
    unit_ids = {p.unit_id for p in placements}
    _rule, rows = fee_rows(month=month, unit_ids=unit_ids)
    return rule, {r.child_id: r for r in rows if r.child_id in ids}


def reports_for_guardian(*, user) -> list[IncomeReport]:
    return list(
        IncomeReport.objects.filter(Q(guardians=user) | Q(reported_by=user))
        .distinct()
        .select_related("reported_by")
        .prefetch_related("children", "guardians")
        .order_by("-valid_from", "-created_at")
    )


def notices_for_children(*, child_ids) -> list[PlacementNotice]:
    return list(
        PlacementNotice.objects.filter(placement__child_id__in=child_ids)
        .select_related("placement__child", "placement__unit", "given_by", "confirmed_by")
        .order_by("-created_at")
    )


def notices_for_units(*, unit_ids) -> list[PlacementNotice]:
    return list(
        PlacementNotice.objects.filter(placement__unit_id__in=unit_ids)
        .select_related("placement__child", "placement__unit", "given_by", "confirmed_by")
        .order_by("state", "last_day")
    )
