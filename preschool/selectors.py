"""Reads for the preschool e-services. Each selector runs a fixed number of queries,
whatever the number of households or children."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    IntegerField,
    JSONField,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Cast

from config.statements import Statement
from preschool.fees import CARE_KINDS, CareChild, RuleData, household_fees
from preschool.models import FeeRule, IncomeReport, PlacementNotice, UnitNoticePeriod
from roster.models import Child, Guardianship, Placement, active_q


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    import calendar

    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def notice_months_for(unit_id: int) -> int:
    row = UnitNoticePeriod.objects.filter(unit_id=unit_id).values_list("months", flat=True).first()
    return row if row is not None else 2


def _care_in(month: date, end: date):
    """Placements in förskola/fritidshem that overlap the month (`end` is its last day)."""
    return Placement.objects.filter(unit__kind__in=CARE_KINDS, start_date__lte=end).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=month)
    )


def care_placements_active_in(month: date, *, child_ids=None, unit_ids=None) -> list[Placement]:
    """One query: placements in förskola/fritidshem that overlap the month."""
    qs = _care_in(month, month_end(month))
    if child_ids is not None:
        qs = qs.filter(child_id__in=child_ids)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return list(qs.select_related("child", "unit").order_by("child_id", "start_date"))


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


# The columns of _FEES's UNION ALL after its tag, and their types. Each branch fills its own
# columns; the others are typed NULLs (PostgreSQL matches a UNION's column types two branches at
# a time, so an untyped NULL could meet a date as text).
_COLUMNS = {
    "id": IntegerField(),
    "child_id": IntegerField(),
    "guardian_id": IntegerField(),
    "unit_id": IntegerField(),
    "income": IntegerField(),
    "ceiling": IntegerField(),
    "deduction": IntegerField(),
    "highest_fee": BooleanField(),
    "valid_from": DateField(),
    "created_at": DateTimeField(),
    "start_date": DateField(),
    "date_of_birth": DateField(),
    "kind": CharField(),
    "unit_name": CharField(),
    "given_name": CharField(),
    "family_name": CharField(),
    "forskola_percent": JSONField(),
    "fritidshem_percent": JSONField(),
}


def _branch(queryset, tag: str, **columns):
    """One branch of _FEES: `columns` (name → field path or expression) in _COLUMNS' order."""
    if unknown := set(columns) - set(_COLUMNS):
        raise TypeError(f"not a column of _FEES: {unknown}")
    values = [columns.get(name) or Cast(Value(None), output_field=field) for name, field in _COLUMNS.items()]
    return queryset.order_by().values_list(Value(tag, output_field=CharField()), *values)


def _fees_query(*, month: date, end: date, child_ids: list[int] | None, unit_ids: list[int] | None):
    """Everything the fee rows of some children need, as one UNION ALL of tagged branches
    where each branch finds its rows by subqueries, not by the rows of the others:
    "r" the rule in force, "g" the active guardianships of the children's siblings (with every
    guardian of theirs), "i" the reports valid by the month (a row per report and child it
    names) of every child named on one beside a child or a sibling, "p" the care placements of
    them all. The children are `child_ids`, or (None) those in care at `unit_ids` (None: at
    every unit)."""
    care = _care_in(month, end)
    if child_ids is not None:
        asked = Child.objects.filter(pk__in=child_ids).values("pk")
    else:
        asked = (care if unit_ids is None else care.filter(unit_id__in=unit_ids)).values("child_id")
    active = Guardianship.objects.filter(active_q(on=end))
    siblings = active.filter(guardian_id__in=active.filter(child_id__in=asked).values("guardian_id")).values("child_id")
    # Sets of children as one IN (a UNION), never an OR of INs: PostgreSQL answers an OR of
    # subqueries by reading every placement.
    candidates = asked.union(siblings)
    named = IncomeReport.children.through.objects.filter(incomereport__valid_from__lte=month)
    on_their_reports = named.filter(
        incomereport_id__in=named.filter(child_id__in=candidates).values("incomereport_id")
    ).values("child_id")
    guardianships = _branch(active.filter(child_id__in=siblings), "g", guardian_id="guardian_id", child_id="child_id")
    reports = _branch(
        named.filter(child_id__in=on_their_reports),
        "i",
        id="incomereport_id",
        child_id="child_id",
        income="incomereport__monthly_income",
        highest_fee="incomereport__highest_fee",
        valid_from="incomereport__valid_from",
        created_at="incomereport__created_at",
    )
    placements = _branch(
        care.filter(child_id__in=asked.union(siblings, on_their_reports)),
        "p",
        id="id",
        child_id="child_id",
        unit_id="unit_id",
        start_date="start_date",
        kind="unit__kind",
        unit_name="unit__name",
        given_name="child__given_name",
        family_name="child__family_name",
        date_of_birth="child__date_of_birth",
    )
    return _rule_in_force(end=end).union(guardianships, reports, placements, all=True).order_by()


def _rule_in_force(*, end: date):
    """The "r" branch of _FEES: the rule with the latest valid_from on or before `end`."""
    in_force = FeeRule.objects.filter(valid_from__lte=end).order_by("-valid_from").values("valid_from")[:1]
    return _branch(
        FeeRule.objects.filter(valid_from=Subquery(in_force)),
        "r",
        id="id",
        valid_from="valid_from",
        ceiling="income_ceiling",
        deduction="deduction",
        forskola_percent="forskola_percent",
        fritidshem_percent="fritidshem_percent",
    )


_FEES = Statement(_fees_query)
# With no children to ask for, _FEES would lose every branch but the rule, and with them its
# use of `month`: a statement that cannot be reused. The rule alone instead.
_RULE = Statement(_rule_in_force)


def _fee_rows_of(*, month: date, child_ids=None, unit_ids=None) -> tuple[RuleData | None, list[FeeRow]]:
    """The rule in force and the fee rows of `child_ids` in care during the month (None: of the
    children in care at `unit_ids`, None: at every unit), each ranked within its whole
    household, wherever the household's other children are placed. A household is the children
    in care whose report in effect is the same; children without a report are grouped by their
    guardians (the same set of them) and pay the highest fee. One query (see _fees_query)."""
    end = month_end(month)
    if child_ids == set() or unit_ids == set():
        found = _RULE(end=end)
    else:
        found = _FEES(
            month=month,
            end=end,
            child_ids=None if child_ids is None else sorted(child_ids),
            unit_ids=None if unit_ids is None else sorted(unit_ids),
        )
    rows: dict[str, list[dict]] = defaultdict(list)
    for values in found:
        row = dict(zip(("tag", *_COLUMNS), values, strict=True))
        rows[row["tag"]].append(row)
    if not rows["r"]:
        return None, []
    [rule] = rows["r"]
    data = RuleData(
        valid_from=rule["valid_from"],
        income_ceiling=rule["ceiling"],
        deduction=rule["deduction"],
        percent={kind: list(rule[f"{kind}_percent"]) for kind in CARE_KINDS},
    )
    # Each sibling's whole set of guardians (also those who are no guardian of `child_ids`):
    # a household without a report is one set of guardians.
    guardians_of: dict[int, set[int]] = defaultdict(set)
    for row in rows["g"]:
        guardians_of[row["child_id"]].add(row["guardian_id"])
    # child id → the report in effect: the latest valid_from on or before the month, then the
    # latest made. A household's report may name a child who is no sibling by guardianship.
    reports: dict[int, dict] = {}
    for row in sorted(rows["i"], key=lambda r: (r["valid_from"], r["created_at"], r["id"])):
        reports[row["child_id"]] = row  # later reports overwrite earlier ones
    all_care: dict[int, dict] = {}
    for row in sorted(rows["p"], key=lambda r: (r["child_id"], r["start_date"], r["id"])):
        all_care[row["child_id"]] = row  # the latest placement names the unit and the kind of care
    if child_ids is None:
        child_ids = {r["child_id"] for r in rows["p"] if unit_ids is None or r["unit_id"] in unit_ids}
    households: dict[tuple, list[int]] = defaultdict(list)
    for child_id in all_care:  # by child id, so ties in the sort below keep a stable order
        report = reports.get(child_id)
        if report is not None:
            key: tuple = ("report", report["id"])
        elif guardians_of.get(child_id):
            key = ("guardians", frozenset(guardians_of[child_id]))
        else:
            key = ("child", child_id)  # no guardian in the month: a household of one
        households[key].append(child_id)
    fee_rows = []
    for members in households.values():
        if not child_ids.intersection(members):
            continue  # another household, met through a sibling or a report: listed elsewhere
        report = reports.get(members[0])
        income = None if report is None or report["highest_fee"] else report["income"]
        care_children = [CareChild(c, all_care[c]["date_of_birth"], all_care[c]["kind"]) for c in members]
        label = f"Inkomstuppgift {report['id']}" if report else "Ingen inkomstuppgift (högsta avgift)"
        for fee in household_fees(rule=data, monthly_income=income, children=care_children):
            if fee.child_id not in child_ids:
                continue  # a sibling counted for the rank: listed at its own unit or family
            care = all_care[fee.child_id]
            fee_rows.append(
                FeeRow(
                    household=label,
                    child_id=fee.child_id,
                    child_name=f"{care['given_name']} {care['family_name']}",
                    unit_name=care["unit_name"],
                    kind=fee.kind,
                    rank=fee.rank,
                    percent=f"{fee.percent:g}",
                    income="högsta avgift" if income is None else str(income),
                    fee_base=fee.fee_base,
                    fee=fee.fee,
                )
            )
    fee_rows.sort(key=lambda r: (r.household, r.rank))
    return data, fee_rows


def fee_rows(*, month: date, unit_ids=None) -> tuple[RuleData | None, list[FeeRow]]:
    """The finance list: every child in care at the units (None: at every unit) during the
    month with its household's fee (see _fee_rows_of). One query."""
    return _fee_rows_of(month=month, unit_ids=None if unit_ids is None else set(unit_ids))


def family_fees(*, children: list[Child], month: date) -> tuple[RuleData | None, dict[int, FeeRow]]:
    """The guardian's own view: the fee per child of theirs in care during the month, the
    same rows as in the fee list of their units. One query (see _fee_rows_of): the rule and
    the households of these children only, never their units' other children."""
    rule, rows = _fee_rows_of(month=month, child_ids={c.pk for c in children})
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
