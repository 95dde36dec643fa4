"""Routing notifications beyond the in-app list, per person and kind.

Every channel is on unless the person switched it off (NotificationSettings.off holds
"kind:channel"). After a notifying transaction commits, `notifications_dispatch` routes the
new rows: a push to the person's devices (through the outbox, generic text only) and a
mark for the next e-mail batch. `notifications_email_batch` sends each person one mail
with everything unread since the last one. Both run again from Celery beat, so a broker
that was down when the change happened only delays them.

Apps name their kinds for the settings page in `APP/notification_kinds.py`:
`KINDS = {"messaging.message": _("Nya meddelanden"), ...}`.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.models import CHANNELS, Notification, NotificationSettings, PushSubscription


def kinds() -> dict[str, str]:
    """Every kind the installed apps declare, for the settings page."""
    from config.plugins import app_modules

    found: dict[str, str] = {}
    for module in app_modules("notification_kinds"):
        found.update(getattr(module, "KINDS", {}))
    return found


def settings_for(*, user_ids) -> dict[int, NotificationSettings]:
    """One query; people without a row get the defaults (everything on, no digest)."""
    user_ids = list(user_ids)
    stored = {s.user_id: s for s in NotificationSettings.objects.filter(user_id__in=user_ids)}
    return {uid: stored.get(uid) or NotificationSettings(user_id=uid) for uid in user_ids}


def hidden_kinds(*, user) -> list[str]:
    """Kinds the person switched off in the app (one query)."""
    prefs = settings_for(user_ids=[user.pk])[user.pk]
    return [entry.rsplit(":", 1)[0] for entry in prefs.off if entry.endswith(":app")]


def settings_save(*, user, off: list[str], digest_enabled: bool, digest_time) -> NotificationSettings:
    known = set(kinds())
    off = sorted({entry for entry in off if entry.rsplit(":", 1)[0] in known and entry.rsplit(":", 1)[-1] in CHANNELS})
    prefs, _created = NotificationSettings.objects.update_or_create(
        user=user, defaults={"off": off, "digest_enabled": digest_enabled, "digest_time": digest_time}
    )
    return prefs


def notifications_dispatch(*, limit: int = 2000) -> int:
    """Route the rows not yet routed. Locked rows (another worker) are skipped. Queries: the
    rows, the settings, the devices, one outbox row per person with push, two updates."""
    from notifications.services import outbox_push_enqueue

    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(dispatched_at__isnull=True)
            .order_by("pk")
            .only("pk", "recipient_id", "kind", "read_at")[:limit]
        )
        if not rows:
            return 0
        people = {r.recipient_id for r in rows}
        prefs = settings_for(user_ids=people)
        with_devices = set(
            PushSubscription.objects.filter(user_id__in=people).values_list("user_id", flat=True).distinct()
        )
        email_ids, push_last = [], {}
        for row in rows:
            wanted = prefs[row.recipient_id]
            if not wanted.wants(row.kind, "app"):
                continue  # switched off entirely for this kind
            if wanted.wants(row.kind, "email") and row.read_at is None:
                email_ids.append(row.pk)
            if wanted.wants(row.kind, "push") and row.recipient_id in with_devices:
                push_last[row.recipient_id] = max(row.pk, push_last.get(row.recipient_id, 0))
        link = reverse("notifications:list")
        for user_id, last_pk in push_last.items():
            # One push per person and run, however many events: it only says "something new".
            outbox_push_enqueue(user_id=user_id, url=link, dedupe_key=f"push:{user_id}:{last_pk}")
        if email_ids:
            Notification.objects.filter(pk__in=email_ids).update(email_due=True)
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(dispatched_at=timezone.now())
    return len(rows)


def notifications_email_batch(*, limit: int = 5000) -> int:
    """One e-mail per person with their unread notifications waiting for e-mail. Returns
    the number of e-mails stored in the outbox."""
    from notifications.services import outbox_email_enqueue

    site = settings.SKOLHUBB_SITE_URL.rstrip("/")
    sent = 0
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(email_due=True)
            .select_related("recipient")
            .order_by("recipient_id", "created_at")[:limit]
        )
        per_person = defaultdict(list)
        for row in rows:
            per_person[row.recipient_id].append(row)
        for user_id, items in per_person.items():
            unread = [n for n in items if n.read_at is None]
            recipient = items[0].recipient
            if unread and recipient.is_active and recipient.email:
                outbox_email_enqueue(
                    template="notifications/emails/batch",
                    context={
                        "user": recipient,
                        "items": [
                            {"title": n.title, "url": site + n.url if n.url.startswith("/") else n.url} for n in unread
                        ],
                        "list_url": site + reverse("notifications:list"),
                        "settings_url": site + reverse("notifications:settings"),
                    },
                    to=[recipient.email],
                    dedupe_key=f"notifications-mail:{user_id}:{items[-1].pk}",
                )
                sent += 1
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(email_due=False)
    return sent
