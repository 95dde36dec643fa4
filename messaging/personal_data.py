from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(
        model="messaging.Conversation",
        description=_("Konversationer"),
        child_paths=("child",),
        person_paths=("started_by", "participants__user"),
        retention_kind="messages",
        retention_date_field="last_message_at",
    ),
    Registration(
        model="messaging.Participant",
        description=_("Deltagande i konversationer"),
        child_paths=("conversation__child",),
        person_paths=("user",),
    ),
    Registration(
        model="messaging.Message",
        description=_("Meddelanden"),
        child_paths=("conversation__child",),
        person_paths=("author", "conversation__participants__user"),
    ),
    Registration(
        model="messaging.Attachment",
        description=_("Bilagor i meddelanden"),
        child_paths=("message__conversation__child",),
        person_paths=("message__author",),
        exclude_fields=("file",),
    ),
]
