"""Access to conversations: a participant reads it; everyone else gets 404."""

from __future__ import annotations

from django.http import Http404

from messaging.models import Attachment, Conversation, Participant


def get_conversation_for_viewer(request, conversation_id) -> tuple[Conversation, Participant]:
    """One query: the conversation and the viewer's place in it, or 404."""
    me = (
        Participant.objects.filter(conversation_id=conversation_id, user=request.user)
        .select_related("conversation__child", "conversation__group")
        .first()
    )
    if me is None:
        raise Http404("Ingen konversation")
    return me.conversation, me


def get_attachment_for_viewer(request, attachment_id) -> Attachment:
    attachment = (
        Attachment.objects.filter(pk=attachment_id, message__conversation__participants__user=request.user)
        .select_related("message")
        .first()
    )
    if attachment is None:
        raise Http404("Ingen bilaga")
    return attachment
