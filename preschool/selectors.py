"""Reads for the preschool e-services. Each selector runs a fixed number of queries,
whatever the number of households or children."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q

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
    """child id → the report in effect for the month (the latest valid_from on or before it,
    then the latest made), for the given children and for every other child named on one of
    their reports: a household's report may name a child who is no sibling by guardianship.
    One query (a report is read once per child it names)."""
    named = IncomeReport.children.through.objects.filter(incomereport__valid_from__lte=month)
    on_their_reports = named.filter(
        incomereport_id__in=named.filter(child_id__in=child_ids).values("incomereport_id")
    ).values("child_id")
    reports = (
        IncomeReport.objects.filter(valid_from__lte=month, children__in=on_their_reports)
        .annotate(named_child_id=F("children"))
        .order_by("valid_from", "created_at", "pk")
    )
    effect: dict[int, IncomeReport] = {}
    for report in reports:  # later reports overwrite earlier ones
        effect[report.named_child_id] = report
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


def _fee_rows_of(*, rule: FeeRule, month: date, child_ids: set[int]) -> list[FeeRow]:
    """The fee rows of `child_ids` in care during the month, each ranked within its whole
    household, wherever the household's other children are placed. A household is the children
    in care whose report in effect is the same; children without a report are grouped by their
    guardians (the same set of them) and pay the highest fee. Three queries: the guardianships
    of the children's siblings, the reports in effect, the care placements of them all."""
    on = month_end(month)
    active = Guardianship.objects.filter(active_q(on=on))
    siblings = active.filter(guardian_id__in=active.filter(child_id__in=child_ids).values("guardian_id")).values(
        "child_id"
    )
    # Each sibling's whole set of guardians (also those who are no guardian of `child_ids`):
    # a household without a report is one set of guardians.
    guardians_of: dict[int, set[int]] = defaultdict(set)
    for guardian_id, child_id in active.filter(child_id__in=siblings).values_list("guardian_id", "child_id"):
        guardians_of[child_id].add(guardian_id)
    candidates = set(guardians_of) | set(child_ids)
    reports = reports_in_effect(month, child_ids=candidates)
    all_care: dict[int, Placement] = {}
    for p in care_placements_active_in(month, child_ids=candidates | set(reports)):
        all_care[p.child_id] = p  # the latest placement names the unit and the kind of care
    households: dict[tuple, list[int]] = defaultdict(list)
    for child_id in all_care:  # by child id, so ties in the sort below keep a stable order
        report = reports.get(child_id)
        if report is not None:
            key: tuple = ("report", report.pk)
        elif guardians_of.get(child_id):
            key = ("guardians", frozenset(guardians_of[child_id]))
        else:
            key = ("child", child_id)  # no guardian in the month: a household of one
        households[key].append(child_id)
    data = rule_data(rule)
    rows = []
    for members in households.values():
        if not child_ids.intersection(members):
            continue  # another household, met through a sibling or a report: listed elsewhere
        report = reports.get(members[0])
        income = None if report is None or report.highest_fee else report.monthly_income
        care_children = [CareChild(c, all_care[c].child.date_of_birth, all_care[c].unit.kind) for c in members]
        label = f"Inkomstuppgift {report.pk}" if report else "Ingen inkomstuppgift (högsta avgift)"
        for fee in household_fees(rule=data, monthly_income=income, children=care_children):
            if fee.child_id not in child_ids:
                continue  # a sibling counted for the rank: listed at its own unit or family
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
    return rows


def fee_rows(*, month: date, unit_ids=None) -> tuple[FeeRule | None, list[FeeRow]]:
    """The finance list: every child in care at the units during the month with its
    household's fee (see _fee_rows_of). Five queries in all: the rule, the units' placements,
    then three for the households."""
    rule = fee_rule_for(month)
    if rule is None:
        return None, []
    in_units = {p.child_id for p in care_placements_active_in(month, unit_ids=unit_ids)}
    if not in_units:
        return rule, []
    return rule, _fee_rows_of(rule=rule, month=month, child_ids=in_units)


def family_fees(*, children: list[Child], month: date) -> tuple[FeeRule | None, dict[int, FeeRow]]:
    """The guardian's own view: the fee per child of theirs in care during the month, the
    same rows as in the fee list of their units. Four queries: the rule, then the households
    of these children only (see _fee_rows_of), never their units' other children."""
    rule = fee_rule_for(month)
    if rule is None or not children:
        return rule, {}
    rows = _fee_rows_of(rule=rule, month=month, child_ids={c.pk for c in children})
    return rule, {r.child_id: r for r in rows}


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
