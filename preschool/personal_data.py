from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(
        model="preschool.IncomeReport",
        description=_("Inkomstuppgifter"),
        child_paths=("children",),
        person_paths=("reported_by", "guardians"),
        retention_kind="income_reports",
        retention_date_field="valid_from",
    ),
    Registration(
        model="preschool.PlacementNotice",
        description=_("Uppsägningar av plats"),
        child_paths=("placement__child",),
        person_paths=("given_by", "confirmed_by"),
    ),
]
