from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(model="hub.NewsItem", description=_("Nyheter du har skrivit"), person_paths=("author",)),
    Registration(model="hub.Event", description=_("Kalenderhändelser du har lagt in"), person_paths=("created_by",)),
]
REGISTRATIONS += [
    Registration(
        model="hub.FeedToken",
        description=_("Kalenderprenumeration"),
        person_paths=("user",),
        exclude_fields=("token",),  # the secret address itself is not shown again
    ),
]
