from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(
        model="roster.Child",
        description=_("Barnet: namn, personnummer, adress, samtycken"),
        child_paths=("pk",),
        person_paths=("user",),
    ),
    Registration(
        model="roster.Guardianship", description=_("Vårdnad"), child_paths=("child",), person_paths=("guardian",)
    ),
    Registration(model="roster.Placement", description=_("Placeringar"), child_paths=("child",)),
    Registration(model="roster.StaffDuty", description=_("Tjänster"), person_paths=("user",)),
    Registration(model="roster.GroupStaff", description=_("Personal i grupper"), person_paths=("user",)),
]
