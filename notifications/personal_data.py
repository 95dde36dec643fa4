from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(
        model="notifications.Notification",
        description=_("Notiser"),
        child_paths=("child",),
        person_paths=("recipient",),
        retention_kind="notifications",
    ),
]
