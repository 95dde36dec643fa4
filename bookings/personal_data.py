from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(
        model="bookings.Round", description=_("Samtalsomgångar du har publicerat"), person_paths=("created_by",)
    ),
    Registration(
        model="bookings.Booking",
        description=_("Bokade utvecklingssamtal"),
        child_paths=("child",),
        person_paths=("booked_by",),
        retention_kind="bookings",
    ),
]
