"""Web push for real: pywebpush encrypts (aes128gcm) and signs (VAPID) the payload and posts
it to a push endpoint. The endpoint here is a local HTTP server started by the test, and the
test decrypts what arrived with the device's keys: no mock anywhere."""

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.urls import reverse

from notifications import delivery
from notifications.models import Notification, OutboxMessage, PushSubscription
from notifications.services import notify, outbox_deliver


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class _PushService:
    """A push service on 127.0.0.1: records each request and answers with `status`."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status = 201
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's API
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                service.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                self.send_response(service.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service():
    service = _PushService()
    yield service
    service.close()


@pytest.fixture
def vapid(settings):
    key = ec.generate_private_key(ec.SECP256R1())
    settings.WEBPUSH_VAPID_PRIVATE_KEY = _b64(key.private_numbers().private_value.to_bytes(32, "big"))
    settings.WEBPUSH_VAPID_PUBLIC_KEY = _b64(
        key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    settings.WEBPUSH_VAPID_SUBJECT = "mailto:drift@example.se"
    return settings


def _device(user, push_service, name="telefon"):
    """A browser's subscription: its own P-256 key pair and auth secret."""
    key = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    sub = PushSubscription.objects.create(
        user=user, endpoint=f"{push_service.url}/push/{name}", p256dh=_b64(public), auth=_b64(auth), user_agent=name
    )
    return sub, key, auth


@pytest.mark.django_db
def test_a_notification_reaches_the_phone_encrypted_and_without_personal_data(personas, push_service, vapid):
    anna = personas["guardian"]
    _sub, device_key, auth = _device(anna, push_service)
    Notification.objects.filter(dispatched_at__isnull=True).update(email_due=False, dispatched_at="2026-01-01T00:00Z")
    notify(recipients=[anna], kind="messaging.message", title="Nytt meddelande: Elias hälsa", url="/meddelanden/9/")
    notify(recipients=[anna], kind="bookings.booking", title="Samtal för Elias bokat", url="/utvecklingssamtal/")
    delivery.notifications_dispatch()
    [message] = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.PUSH, to=[str(anna.pk)])  # one push for two events
    outbox_deliver(message_id=message.pk)
    [request] = push_service.requests
    headers = {k.lower(): v for k, v in request["headers"].items()}
    assert headers["content-encoding"] == "aes128gcm"
    assert (
        headers["authorization"].startswith("vapid t=") and vapid.WEBPUSH_VAPID_PUBLIC_KEY in headers["authorization"]
    )
    assert b"Elias" not in request["body"] and b"Skolhubb" not in request["body"]  # encrypted
    plain = http_ece.decrypt(request["body"], private_key=device_key, auth_secret=auth, version="aes128gcm")
    payload = json.loads(plain)
    assert payload == {
        "title": "Skolhubb",
        "body": "Du har en ny händelse i Skolhubb",
        "url": reverse("notifications:list"),
    }
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT


@pytest.mark.django_db
def test_a_gone_device_is_forgotten_and_a_failing_service_is_retried(personas, push_service, vapid):
    anna = personas["guardian"]
    sub, _key, _auth = _device(anna, push_service)
    from notifications.services import outbox_push_enqueue

    push_service.status = 500
    message = outbox_push_enqueue(user_id=anna.pk, url="/notiser/")
    assert outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING and "500" in message.last_error
    push_service.status = 410
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at="2000-01-01T00:00Z")
    assert outbox_deliver(message_id=message.pk) is True
    assert not PushSubscription.objects.filter(pk=sub.pk).exists()


@pytest.mark.django_db
def test_push_switched_off_for_a_kind_sends_nothing(personas, push_service, vapid):
    anna = personas["guardian"]
    _device(anna, push_service)
    delivery.settings_save(user=anna, off=["messaging.message:push"], digest_enabled=False, digest_time="18:00")
    Notification.objects.filter(dispatched_at__isnull=True).update(dispatched_at="2026-01-01T00:00Z")
    before = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.PUSH).count()
    notify(recipients=[anna], kind="messaging.message", title="x", url="/")
    delivery.notifications_dispatch()
    assert OutboxMessage.objects.filter(kind=OutboxMessage.Kind.PUSH).count() == before


@pytest.mark.django_db
def test_subscribe_and_unsubscribe_from_the_browser(client_for, personas, vapid, settings):
    guardian = client_for("guardian")
    body = {"endpoint": "https://push.example.net/abc", "keys": {"p256dh": "BPk", "auth": "xyz"}}
    response = guardian.post(reverse("notifications:push-subscribe"), json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    assert PushSubscription.objects.filter(user=personas["guardian"], endpoint=body["endpoint"]).exists()
    bad = guardian.post(
        reverse("notifications:push-subscribe"),
        json.dumps({"endpoint": "javascript:x"}),
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "push-enable" in guardian.get(reverse("notifications:settings")).content.decode()
    guardian.post(
        reverse("notifications:push-unsubscribe"),
        json.dumps({"endpoint": body["endpoint"]}),
        content_type="application/json",
    )
    assert not PushSubscription.objects.filter(endpoint=body["endpoint"]).exists()
