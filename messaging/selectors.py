"""Reads for messaging. Each function states its query count."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Q

from messaging.models import Attachment, Conversation, Message, Participant
from roster.models import Child, GroupStaff, Guardianship, active_q

STAFF_ROLES = [GroupStaff.Role.MENTOR, GroupStaff.Role.TEACHER, GroupStaff.Role.PEDAGOG]


def staff_for_children(*, children: list[Child]) -> dict[int, list]:
    """One query: the mentors, teachers and pedagogues of each child's groups (active
    placements must be loaded on the children)."""
    groups_by_child = {c.pk: {p.group_id for p in c.active_placements if p.group_id} for c in children}
    all_groups = set().union(*groups_by_child.values()) if groups_by_child else set()
    if not all_groups:
        return {c.pk: [] for c in children}
    rows = list(
        GroupStaff.objects.filter(active_q(), group_id__in=all_groups, role__in=STAFF_ROLES, user__is_active=True)
        .select_related("user", "group")
        .order_by("role", "user__last_name", "user__first_name")
    )
    result = {}
    for child in children:
        seen = {}
        for row in rows:
            if row.group_id in groups_by_child[child.pk] and row.user_id not in seen:
                seen[row.user_id] = row
        result[child.pk] = list(seen.values())
    return result


def guardians_of(*, child_ids) -> dict[int, list]:
    """One query: active guardians per child."""
    result: dict[int, list] = {}
    for g in (
        Guardianship.objects.filter(active_q(), child_id__in=list(child_ids), guardian__is_active=True)
        .select_related("guardian")
        .order_by("guardian__first_name")
    ):
        result.setdefault(g.child_id, []).append(g.guardian)
    return result


@dataclass
class InboxRow:
    conversation: Conversation
    unread: bool
    last_read_at: object


def inbox(*, user, limit: int = 100) -> list[InboxRow]:
    """One query: the user's conversations, newest first, with the unread flag."""
    rows = (
        Participant.objects.filter(user=user)
        .select_related("conversation__child", "conversation__started_by")
        .order_by("-conversation__last_message_at", "-conversation_id")[:limit]
    )
    return [
        InboxRow(
            conversation=p.conversation,
            unread=p.last_read_at is None or p.conversation.last_message_at > p.last_read_at,
            last_read_at=p.last_read_at,
        )
        for p in rows
    ]


def unread_count(*, user) -> int:
    """One query."""
    return (
        Participant.objects.filter(user=user)
        .filter(Q(last_read_at__isnull=True) | Q(conversation__last_message_at__gt=F("last_read_at")))
        .count()
    )


@dataclass
class Thread:
    conversation: Conversation
    messages: list[Message]
    participants: list[Participant]
    me: Participant


def thread(*, conversation: Conversation, me: Participant) -> Thread:
    """Three queries: messages with authors, their attachments, the participants."""
    messages = list(conversation.messages.select_related("author"))
    attachments: dict[int, list[Attachment]] = {}
    for a in Attachment.objects.filter(message__conversation=conversation):
        attachments.setdefault(a.message_id, []).append(a)
    for m in messages:
        m.attachment_list = attachments.get(m.pk, [])
    participants = list(conversation.participants.select_related("user").order_by("side", "user__first_name"))
    if conversation.kind == Conversation.Kind.BROADCAST and me.side == Participant.Side.FAMILY:
        # A broadcast never shows a family who else received it.
        participants = [p for p in participants if p.side == Participant.Side.STAFF or p.pk == me.pk]
    return Thread(conversation=conversation, messages=messages, participants=participants, me=me)
