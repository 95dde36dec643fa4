"""Access matrix rows of messaging: a conversation between Anna and 3B's mentor about Elias.
Only its participants read it: everyone else (the principal and the admin too) gets 404."""

from django.core.files.base import ContentFile
from django.urls import reverse

from tests.matrix import LOGIN, logged_in, row

MATRIX = {
    "messaging:inbox": ("messaging:inbox", logged_in(200)),
    "messaging:start": ("messaging:start", row(LOGIN, 200, 200, 200, 403, 403, 403, 403)),
    "messaging:start-staff": ("messaging:start-staff", row(LOGIN, 403, 403, 403, 200, 200, 200, 200)),
    "messaging:group-send": ("messaging:group-send", row(LOGIN, 403, 403, 403, 200, 200, 200, 200)),
    "messaging:detail": ("anna_mentor_conversation", row(LOGIN, 200, 404, 404, 200, 404, 404, 404)),
    "messaging:reply": ("anna_mentor_reply", logged_in(405)),
    "messaging:attachment": ("anna_mentor_attachment", row(LOGIN, 200, 404, 404, 200, 404, 404, 404)),
}


def url_builders(demo) -> dict[str, str]:
    from accounts.models import User
    from messaging.models import Attachment, Conversation, Message, Participant

    anna = User.objects.get(email="anna.andersson@example.se")
    mentor = User.objects.get(email="larare.3b@example.se")
    conversation = Conversation.objects.create(subject="Matrisen", child=demo["elias"], started_by=anna)
    Participant.objects.bulk_create(
        [
            Participant(conversation=conversation, user=anna, side=Participant.Side.FAMILY),
            Participant(conversation=conversation, user=mentor, side=Participant.Side.STAFF),
        ]
    )
    message = Message.objects.create(conversation=conversation, author=anna, body="Hej")
    attachment = Attachment(message=message, name="intyg.pdf", size=8, content_type="application/pdf")
    attachment.file.save("intyg.pdf", ContentFile(b"%PDF-1.4"), save=True)
    return {
        "anna_mentor_conversation": reverse("messaging:detail", args=[conversation.pk]),
        "anna_mentor_reply": reverse("messaging:reply", args=[conversation.pk]),
        "anna_mentor_attachment": reverse("messaging:attachment", args=[attachment.pk]),
    }
