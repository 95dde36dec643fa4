"""With EMAIL_HOST set, mail goes out over SMTP: a real SMTP server on loopback receives it."""

import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Sink

from accounts.models import User
from accounts.services import user_activation_request
from notifications.services import outbox_deliver_due


class Inbox(Sink):
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.mark.django_db
def test_activation_mail_over_smtp(settings, smtp_server):
    controller, inbox = smtp_server
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "use_tls": False, "timeout": 10},
        }
    }
    user = User.objects.create_user("smtp.test@example.se", first_name="Sam")
    assert user_activation_request(user=user) is True  # stored in the outbox
    assert inbox.messages == []
    assert outbox_deliver_due() == 1  # what the worker (or the periodic retry) does
    assert len(inbox.messages) == 1
    envelope = inbox.messages[0]
    assert envelope.rcpt_tos == ["smtp.test@example.se"]
    content = envelope.content.decode()
    assert "Subject: Aktivera ditt konto i Skolhubb" in content
    assert "text/html" in content and "text/plain" in content
