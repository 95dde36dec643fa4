"""Writes for messaging. The recipient list of a conversation is decided here, once, and
checked against the roster: a crafted POST cannot add someone the sender may not reach."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from messaging import selectors
from messaging.attachments import attachment_check
from messaging.models import Attachment, Conversation, Message, Participant
from notifications.services import notify
from roster.models import Child, Group, Placement, active_q
from roster.policy import Viewer, children_visible_to

MAX_FILES = 5
NOTIFICATION_KIND = "messaging.message"


def _clean(subject: str, body: str) -> tuple[str, str]:
    subject, body = (subject or "").strip(), (body or "").strip()
    errors = {}
    if not subject:
        errors["subject"] = _("Skriv ett ämne.")
    elif len(subject) > 200:
        errors["subject"] = _("Ämnet får vara högst 200 tecken.")
    if not body:
        errors["body"] = _("Skriv ett meddelande.")
    elif len(body) > 10000:
        errors["body"] = _("Meddelandet får vara högst 10 000 tecken.")
    if errors:
        raise ValidationError(errors)
    return subject, body


def _check_files(files) -> list[tuple[object, str]]:
    files = list(files or [])
    if len(files) > MAX_FILES:
        raise ValidationError({"files": _("Högst %(n)d bilagor per meddelande.") % {"n": MAX_FILES}})
    return [(f, attachment_check(f)) for f in files]


def _add_message(*, conversation: Conversation, author, body: str, files: list[tuple[object, str]]) -> Message:
    now = timezone.now()
    message = Message.objects.create(conversation=conversation, author=author, body=body, created_at=now)
    for upload, content_type in files:
        Attachment.objects.create(
            message=message,
            file=upload,
            name=PurePath(upload.name).name[:200],
            size=upload.size,
            content_type=content_type,
        )
    Conversation.objects.filter(pk=conversation.pk).update(last_message_at=now, updated_at=now)
    conversation.last_message_at = now
    Participant.objects.filter(conversation=conversation, user=author).update(last_read_at=now)
    recipients = list(
        Participant.objects.filter(conversation=conversation).exclude(user=author).values_list("user_id", flat=True)
    )
    notify(
        recipients=[User(pk=uid) for uid in recipients],
        kind=NOTIFICATION_KIND,
        title=_("Nytt meddelande: %(subject)s") % {"subject": conversation.subject},
        url=conversation.get_absolute_url(),
        child=conversation.child,
        source=conversation,
    )
    return message


def _create(*, subject, kind, child, group, started_by, only_this_guardian, staff_ids, family_ids) -> Conversation:
    conversation = Conversation.objects.create(
        subject=subject,
        kind=kind,
        child=child,
        group=group,
        started_by=started_by,
        only_this_guardian=only_this_guardian,
    )
    rows = [Participant(conversation=conversation, user_id=uid, side=Participant.Side.STAFF) for uid in staff_ids]
    rows += [
        Participant(conversation=conversation, user_id=uid, side=Participant.Side.FAMILY)
        for uid in family_ids
        if uid not in set(staff_ids)
    ]
    Participant.objects.bulk_create(rows)
    return conversation


def _own_child(viewer: Viewer, child_id: int) -> Child:
    child = next((c for c in viewer.children if c.pk == child_id), None)
    if child is None:
        raise ValidationError({"child": _("Välj ett av dina barn.")})
    return child


@transaction.atomic
def conversation_start_by_family(
    *,
    viewer: Viewer,
    child_id: int,
    recipient_ids: list[int],
    subject: str,
    body: str,
    only_this_guardian: bool = False,
    files=(),
) -> Conversation:
    """A guardian (or a student about themself) writes to the child's mentor, teachers or
    preschool staff. The child's other guardians read along unless `only_this_guardian`; a
    student's own conversation is between the student and the staff."""
    subject, body = _clean(subject, body)
    child = _own_child(viewer, child_id)
    allowed = {row.user_id for row in selectors.staff_for_children(children=[child])[child.pk]}
    recipient_ids = {int(r) for r in recipient_ids}
    if not recipient_ids:
        raise ValidationError({"recipients": _("Välj minst en mottagare.")})
    if not recipient_ids <= allowed:
        raise ValidationError({"recipients": _("Du kan bara skriva till personal som arbetar med barnet.")})
    checked = _check_files(files)
    is_student = child.user_id == viewer.user.pk
    if is_student or only_this_guardian:
        family = [viewer.user.pk]
    else:
        family = [g.pk for g in selectors.guardians_of(child_ids=[child.pk]).get(child.pk, [])]
        if viewer.user.pk not in family:
            family.append(viewer.user.pk)
    conversation = _create(
        subject=subject,
        kind=Conversation.Kind.CONVERSATION,
        child=child,
        group=None,
        started_by=viewer.user,
        only_this_guardian=bool(only_this_guardian and not is_student),
        staff_ids=sorted(recipient_ids),
        family_ids=family,
    )
    _add_message(conversation=conversation, author=viewer.user, body=body, files=checked)
    return conversation


def _staff_child(viewer: Viewer, child_id: int) -> Child:
    child = children_visible_to(viewer.user).filter(pk=child_id).first()
    if child is None or not (viewer.is_staff_member or viewer.is_superuser):
        raise ValidationError({"child": _("Välj ett barn i en grupp där du arbetar.")})
    return child


@transaction.atomic
def conversation_start_by_staff(
    *,
    viewer: Viewer,
    child_id: int,
    subject: str,
    body: str,
    to: str = "guardians",
    guardian_id: int | None = None,
    files=(),
) -> Conversation:
    """Staff write about one child: to all the child's guardians, to one of them only
    (`to="guardian"`), or to the pupil (`to="student"`)."""
    subject, body = _clean(subject, body)
    child = _staff_child(viewer, child_id)
    guardians = selectors.guardians_of(child_ids=[child.pk]).get(child.pk, [])
    if to == "student":
        if child.user_id is None:
            raise ValidationError({"to": _("Eleven har inget konto.")})
        family = [child.user_id]
    elif to == "guardian":
        chosen = next((g for g in guardians if g.pk == guardian_id), None)
        if chosen is None:
            raise ValidationError({"to": _("Välj en av barnets vårdnadshavare.")})
        family = [chosen.pk]
    elif to == "guardians":
        family = [g.pk for g in guardians]
    else:
        raise ValidationError({"to": _("Välj mottagare.")})
    if not family:
        raise ValidationError({"to": _("Barnet har ingen vårdnadshavare med konto.")})
    checked = _check_files(files)
    conversation = _create(
        subject=subject,
        kind=Conversation.Kind.CONVERSATION,
        child=child,
        group=None,
        started_by=viewer.user,
        only_this_guardian=to == "guardian",
        staff_ids=[viewer.user.pk],
        family_ids=family,
    )
    _add_message(conversation=conversation, author=viewer.user, body=body, files=checked)
    return conversation


def group_for_staff(viewer: Viewer, group_id: int) -> Group:
    group = Group.objects.select_related("unit").filter(pk=group_id).first()
    if group is None or not viewer.may_manage_unit(group.unit_id):
        raise ValidationError({"group": _("Välj en grupp där du arbetar.")})
    return group


@transaction.atomic
def group_send(
    *, viewer: Viewer, group_id: int, subject: str, body: str, broadcast: bool = False, files=()
) -> list[Conversation]:
    """Staff write to every family of a group. Each family gets its own conversation (no
    reply-all, no family sees another), or with `broadcast` one message nobody replies to
    and whose recipients no family sees."""
    subject, body = _clean(subject, body)
    group = group_for_staff(viewer, group_id)
    checked = _check_files(files)
    child_ids = list(Placement.objects.filter(active_q(), group=group).values_list("child_id", flat=True).distinct())
    guardians = selectors.guardians_of(child_ids=child_ids)
    if not any(guardians.values()):
        raise ValidationError({"group": _("Ingen i gruppen har en vårdnadshavare med konto.")})
    if broadcast:
        family = sorted({g.pk for gs in guardians.values() for g in gs})
        conversation = _create(
            subject=subject,
            kind=Conversation.Kind.BROADCAST,
            child=None,
            group=group,
            started_by=viewer.user,
            only_this_guardian=False,
            staff_ids=[viewer.user.pk],
            family_ids=family,
        )
        _add_message(conversation=conversation, author=viewer.user, body=body, files=checked)
        return [conversation]
    conversations = []
    children = {c.pk: c for c in Child.objects.filter(pk__in=child_ids)}
    for child_id, family in sorted(guardians.items()):
        conversation = _create(
            subject=subject,
            kind=Conversation.Kind.CONVERSATION,
            child=children[child_id],
            group=group,
            started_by=viewer.user,
            only_this_guardian=False,
            staff_ids=[viewer.user.pk],
            family_ids=[g.pk for g in family],
        )
        # Each family's copy carries its own file rows (the upload is stored once per copy).
        _add_message(conversation=conversation, author=viewer.user, body=body, files=checked)
        conversations.append(conversation)
    return conversations


@transaction.atomic
def message_reply(*, viewer: Viewer, conversation: Conversation, body: str, files=()) -> Message:
    participant = Participant.objects.filter(conversation=conversation, user=viewer.user).first()
    if participant is None:
        raise PermissionDenied
    if not conversation.allows_replies:
        raise PermissionDenied(_("Det här utskicket går inte att svara på."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Skriv ett meddelande.")})
    if len(body) > 10000:
        raise ValidationError({"body": _("Meddelandet får vara högst 10 000 tecken.")})
    checked = _check_files(files)
    return _add_message(conversation=conversation, author=viewer.user, body=body, files=checked)


def conversation_mark_read(*, participant: Participant) -> None:
    now = timezone.now()
    Participant.objects.filter(pk=participant.pk).update(last_read_at=now)
    participant.last_read_at = now
