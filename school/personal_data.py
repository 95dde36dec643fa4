from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(model="school.Lesson", description=_("Lektioner du undervisar"), person_paths=("teacher",)),
]
