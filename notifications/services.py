"""The outbox: store first, deliver after commit, retry until delivered.

`outbox_email_enqueue` is called by a service inside its own transaction: the message is
rendered and stored with the change that caused it. After commit a Celery task delivers
it; if the broker is unreachable the message simply waits for the periodic retry
(`outbox_deliver_due`, Celery beat, every minute). A delivered message is marked sent in
the row it was locked on, so two workers never send the same message.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from config.mail import templated_email
from notifications.models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 12  # about a day and a half of backoff, then a human looks in the admin


def _backoff(attempts: int) -> timedelta:
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 6 * 60))


def _enqueue_delivery(message_id: int) -> None:
    from notifications.tasks import deliver_outbox_message

    try:
        deliver_outbox_message.delay(message_id)
    except Exception:  # the broker is down: the periodic retry delivers it later
        logger.warning("Outbox message %s waits for the periodic retry (broker unreachable)", message_id, exc_info=True)


def outbox_email_enqueue(
    *,
    template: str,
    context: dict,
    to: list[str],
    dedupe_key: str | None = None,
    attachments: list[dict] | None = None,
) -> OutboxMessage | None:
    """Render an e-mail from a template triple and store it for delivery after commit.
    With a `dedupe_key` already used, nothing new is stored (returns None).
    `attachments`: [{"name": "samtal.ics", "content": "<text>", "mimetype": "text/calendar"}]."""
    to = [address for address in to if address]
    if not to:
        return None
    email = templated_email(template, context, to)
    html = next((content for content, mimetype in email.alternatives if mimetype == "text/html"), "")
    fields = {
        "to": to,
        "subject": email.subject[:300],
        "body_text": email.body,
        "body_html": html,
        "attachments": list(attachments or []),
    }
    return _outbox_store(fields, dedupe_key)


def outbox_push_enqueue(*, user_id: int, url: str, dedupe_key: str | None = None) -> OutboxMessage | None:
    """A web push to every device of a person, delivered after commit like an e-mail. The
    payload is never personal: the generic sentence and a link (see notifications.push)."""
    from notifications.push import PUSH_TEXT

    fields = {
        "kind": OutboxMessage.Kind.PUSH,
        "to": [str(user_id)],
        "subject": str(PUSH_TEXT),
        "body_text": url,
    }
    return _outbox_store(fields, dedupe_key)


def _outbox_store(fields: dict, dedupe_key: str | None) -> OutboxMessage | None:
    if dedupe_key:
        try:
            with transaction.atomic():
                message = OutboxMessage.objects.create(dedupe_key=dedupe_key, **fields)
        except IntegrityError:
            return None
    else:
        message = OutboxMessage.objects.create(**fields)
    transaction.on_commit(lambda: _enqueue_delivery(message.pk))
    return message


def outbox_deliver(*, message_id: int) -> bool:
    """Send one pending message. Returns True when it was sent now."""
    from django.core.mail import EmailMultiAlternatives

    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, state=OutboxMessage.State.PENDING)
            .first()
        )
        if message is None:
            return False  # already sent, given up, or being sent by another worker
        message.attempts += 1
        try:
            if message.kind == OutboxMessage.Kind.PUSH:
                from notifications.push import push_deliver

                push_deliver(user_id=int(message.to[0]), url=message.body_text)
            else:
                email = EmailMultiAlternatives(
                    message.subject, message.body_text, from_email=settings.DEFAULT_FROM_EMAIL, to=message.to
                )
                if message.body_html:
                    email.attach_alternative(message.body_html, "text/html")
                for item in message.attachments:
                    email.attach(item["name"], item["content"], item.get("mimetype") or "application/octet-stream")
                email.send()
        except Exception as exc:  # SMTP or push service down, refused, timeout: try again later
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.state = OutboxMessage.State.FAILED
            message.next_attempt_at = timezone.now() + _backoff(message.attempts)
            message.save(update_fields=["attempts", "last_error", "state", "next_attempt_at", "updated_at"])
            logger.warning("Outbox message %s not delivered: %s", message.pk, message.last_error)
            return False
        message.state = OutboxMessage.State.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
        message.save(update_fields=["attempts", "last_error", "state", "sent_at", "updated_at"])
        return True


def outbox_deliver_due(*, limit: int = 500) -> int:
    """Deliver what is pending and due (the periodic retry). Returns the number sent."""
    due = list(
        OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(outbox_deliver(message_id=pk) for pk in due)


def outbox_retry(*, message_ids: list[int]) -> int:
    """Admin action: put given-up messages back in the queue, due now."""
    return (
        OutboxMessage.objects.filter(pk__in=message_ids)
        .exclude(state=OutboxMessage.State.SENT)
        .update(state=OutboxMessage.State.PENDING, next_attempt_at=timezone.now(), updated_at=timezone.now())
    )


def notify(
    *,
    recipients,
    kind: str,
    title: str,
    url: str = "",
    body: str = "",
    child=None,
    source=None,
    dedupe_key: str | None = None,
) -> list:
    """Tell people something, from any app, inside the caller's transaction: one
    Notification row per recipient (deduplicated per recipient with `dedupe_key`).
    Delivery beyond the in-app list (e-mail, push, per-person choices) hangs off these rows.
    Runs two queries (existing keys, one INSERT) whatever the number of recipients."""
    from notifications.models import Notification

    people = {person.pk: person for person in recipients if person is not None}
    if not people:
        return []
    source_type = f"{source._meta.app_label}.{source._meta.model_name}" if source is not None else ""
    source_id = str(source.pk) if source is not None else ""

    def key_for(person_id):
        return f"{dedupe_key}:{person_id}" if dedupe_key else None

    taken = set()
    if dedupe_key:
        taken = set(
            Notification.objects.filter(dedupe_key__in=[key_for(pk) for pk in people]).values_list(
                "dedupe_key", flat=True
            )
        )
    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            title=title[:300],
            body=body,
            url=url,
            child=child,
            source_type=source_type,
            source_id=source_id,
            dedupe_key=key_for(pk),
        )
        for pk in people
        if key_for(pk) not in taken or key_for(pk) is None
    ]
    created = Notification.objects.bulk_create(rows, ignore_conflicts=bool(dedupe_key))
    # E-mail and push are routed after commit (no query now); what a dead broker misses,
    # the minute's retry routes (notifications.delivery.notifications_dispatch).
    transaction.on_commit(_enqueue_dispatch)
    return created


def _enqueue_dispatch() -> None:
    from notifications.tasks import dispatch_notifications

    try:
        dispatch_notifications.delay()
    except Exception:  # the broker is down: the periodic retry routes them
        logger.warning("Notifications wait for the periodic dispatch (broker unreachable)", exc_info=True)


def notifications_mark_read(*, user, notification_ids: list[int] | None = None) -> int:
    """Mark the user's notifications read (all unread ones when no ids are given)."""
    from notifications.models import Notification

    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now(), updated_at=timezone.now())
