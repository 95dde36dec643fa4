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
REGISTRATIONS += [
    Registration(
        model="notifications.NotificationSettings", description=_("Dina val för notiser"), person_paths=("user",)
    ),
    Registration(
        model="notifications.PushSubscription",
        description=_("Enheter med push-notiser"),
        person_paths=("user",),
        exclude_fields=("p256dh", "auth"),  # the device's keys: secrets, no information about you
    ),
]
