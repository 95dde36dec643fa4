"""Web push (RFC 8030/8291/8292) with pywebpush: the payload is encrypted for the device
(aes128gcm) and signed with the site's VAPID key. It never carries personal data: only
"Du har en ny händelse i Skolhubb" and a link to the notification list."""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

PUSH_TEXT = _("Du har en ny händelse i Skolhubb")


class PushNotDelivered(Exception):
    """A push service answered with an error worth retrying (5xx, 429, network)."""


def push_enabled() -> bool:
    return bool(settings.WEBPUSH_VAPID_PUBLIC_KEY and settings.WEBPUSH_VAPID_PRIVATE_KEY)


def push_payload(url: str = "") -> str:
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        text = str(PUSH_TEXT)
    return json.dumps({"title": "Skolhubb", "body": text, "url": url or reverse("notifications:list")})


def push_deliver(*, user_id: int, url: str = "") -> int:
    """Send the generic push to each of the person's devices. Returns how many accepted it.
    A device the push service no longer knows (404/410) is forgotten; any other failure
    raises PushNotDelivered so the outbox retries later."""
    from pywebpush import WebPushException, webpush

    from notifications.models import PushSubscription

    if not push_enabled():
        return 0
    delivered, failures = 0, []
    payload = push_payload(url)
    for sub in PushSubscription.objects.filter(user_id=user_id):
        try:
            webpush(
                subscription_info={"endpoint": sub.endpoint, "keys": {"p256dh": sub.p256dh, "auth": sub.auth}},
                data=payload,
                vapid_private_key=settings.WEBPUSH_VAPID_PRIVATE_KEY,
                vapid_claims={"sub": settings.WEBPUSH_VAPID_SUBJECT},
                ttl=24 * 3600,
                timeout=10,
            )
        except WebPushException as exc:
            status = getattr(exc.response, "status_code", None)
            if status in (404, 410):
                sub.delete()
                continue
            failures.append(f"{status}: {exc}")
        except Exception as exc:  # network error
            failures.append(f"{type(exc).__name__}: {exc}")
        else:
            delivered += 1
            PushSubscription.objects.filter(pk=sub.pk).update(last_success_at=timezone.now())
    if failures:
        raise PushNotDelivered("; ".join(failures)[:1000])
    return delivered


def subscription_save(*, user, endpoint: str, p256dh: str, auth: str, user_agent: str = ""):
    """Store (or move to this person) a device's subscription. Raises ValueError on bad data."""
    from django.core.validators import URLValidator

    from notifications.models import PushSubscription

    URLValidator(schemes=["https"] if not settings.DEBUG else ["https", "http"])(endpoint)
    if not (p256dh and auth and len(p256dh) < 200 and len(auth) < 100):
        raise ValueError("keys")
    sub, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth, "user_agent": user_agent[:300]}
    )
    return sub


def subscription_delete(*, user, endpoint: str) -> int:
    from notifications.models import PushSubscription

    return PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()[0]
