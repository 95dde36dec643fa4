"""Demo e-services: Anna's household has reported its income; some other families in
förskola and fritidshem too (bulk inserts, a bounded number whatever the municipality's size)."""

from __future__ import annotations

import random
from datetime import date

from accounts.models import User
from preschool.fees import CARE_KINDS
from preschool.models import IncomeReport
from roster.models import Child, Guardianship, Placement, active_q


def seed(*, today: date, rng: random.Random) -> None:
    month = today.replace(day=1)
    anna = User.objects.get(email="anna.andersson@example.se")
    anna_children = list(Child.objects.filter(guardianships__guardian=anna, family_name="Andersson"))
    in_care = set(
        Placement.objects.filter(active_q(on=today), unit__kind__in=CARE_KINDS).values_list("child_id", flat=True)[:600]
    )
    guardian_of = dict(
        Guardianship.objects.filter(active_q(on=today), child_id__in=in_care)
        .exclude(guardian=anna)
        .values_list("child_id", "guardian_id")
    )
    picked = rng.sample(sorted(guardian_of), min(len(guardian_of), 40))
    reports = [IncomeReport(reported_by=anna, monthly_income=48_000, valid_from=month)]
    reports += [
        IncomeReport(
            reported_by_id=guardian_of[child_id],
            monthly_income=None if i % 7 == 0 else rng.randrange(18_000, 90_000, 500),
            highest_fee=i % 7 == 0,
            valid_from=month,
        )
        for i, child_id in enumerate(picked)
    ]
    reports = IncomeReport.objects.bulk_create(reports)
    if reports[0].pk is None:  # databases that do not return ids from bulk inserts
        reports = list(IncomeReport.objects.order_by("-pk")[: len(reports)])[::-1]
    Children = IncomeReport.children.through
    Guardians = IncomeReport.guardians.through
    Children.objects.bulk_create(
        [Children(incomereport_id=reports[0].pk, child_id=c.pk) for c in anna_children]
        + [Children(incomereport_id=r.pk, child_id=cid) for r, cid in zip(reports[1:], picked, strict=True)]
    )
    Guardians.objects.bulk_create([Guardians(incomereport_id=r.pk, user_id=r.reported_by_id) for r in reports])
