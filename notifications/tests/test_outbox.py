"""The outbox: stored with the change, delivered after commit, retried until delivered,
never sent twice."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from conftest import require_service
from notifications import services, tasks
from notifications.models import OutboxMessage

TEMPLATE = "accounts/emails/activation"


def _context(_personas=None):
    # A plain object: transactional tests run on an empty database.
    from types import SimpleNamespace

    user = SimpleNamespace(first_name="Anna", last_name="Andersson", email="a@example.se", get_full_name=lambda: "Anna")
    return {"user": user, "link": "https://skolhubb.example.se/x", "days": 7}


@pytest.mark.django_db(transaction=True)
def test_stored_in_the_transaction_and_delivered_after_commit():
    with transaction.atomic():
        message = services.outbox_email_enqueue(template=TEMPLATE, context=_context(), to=["a@example.se"])
        assert mail.outbox == []  # nothing leaves before the change is committed
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert [m.to for m in mail.outbox] == [["a@example.se"]]


@pytest.mark.django_db(transaction=True)
def test_rolled_back_change_sends_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        services.outbox_email_enqueue(template=TEMPLATE, context=_context(), to=["a@example.se"])
        raise RuntimeError("the change failed")
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_dedupe_key_stores_once():
    first = services.outbox_email_enqueue(
        template=TEMPLATE, context=_context(), to=["a@example.se"], dedupe_key="prompt:1:2026-11-23"
    )
    second = services.outbox_email_enqueue(
        template=TEMPLATE, context=_context(), to=["a@example.se"], dedupe_key="prompt:1:2026-11-23"
    )
    assert first is not None and second is None
    assert OutboxMessage.objects.filter(dedupe_key="prompt:1:2026-11-23").count() == 1


@pytest.mark.django_db
def test_mail_server_down_backs_off_then_delivers(settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    message = services.outbox_email_enqueue(template=TEMPLATE, context=_context(), to=["a@example.se"])
    assert services.outbox_deliver(message_id=message.pk) is False
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert message.attempts >= 1 and "Error" in message.last_error
    assert message.next_attempt_at > timezone.now()
    # Not due yet: the periodic retry leaves it alone.
    assert services.outbox_deliver_due() == 0
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    with time_machine.travel(timezone.now() + timedelta(hours=7)):
        assert tasks.deliver_outbox_due() == 1
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT
    assert len(mail.outbox) == 1
    assert services.outbox_deliver(message_id=message.pk) is False  # never twice


@pytest.mark.django_db
def test_gives_up_after_max_attempts_and_admin_retry_requeues():
    message = OutboxMessage.objects.create(to=["a@example.se"], subject="x", body_text="y", attempts=99)
    OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxMessage.State.FAILED)
    assert services.outbox_deliver_due() == 0
    assert services.outbox_retry(message_ids=[message.pk]) == 1
    assert services.outbox_deliver_due() == 1


@pytest.mark.django_db(transaction=True)
def test_broker_down_keeps_the_message_for_the_retry(settings):
    """With the broker unreachable the enqueue after commit fails quietly: the change and
    the message are stored, and the periodic retry delivers it."""
    from config.celery import app as celery_app

    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:6399/0"  # nothing listens here
    celery_app.conf.broker_connection_retry = False
    celery_app.conf.broker_connection_max_retries = 0
    celery_app.conf.broker_transport_options = {"max_retries": 0}
    try:
        with transaction.atomic():
            message = services.outbox_email_enqueue(template=TEMPLATE, context=_context(), to=["a@example.se"])
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous
        celery_app.conf.broker_transport_options = {}
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.PENDING
    assert services.outbox_deliver_due() == 1
    assert len(mail.outbox) == 1


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_deliver_a_message_once_on_postgresql():
    require_service(connection.vendor == "postgresql", "PostgreSQL")
    message = OutboxMessage.objects.create(to=["a@example.se"], subject="x", body_text="y")
    results = []
    barrier = threading.Barrier(4)

    def worker():
        from django.db import connection as conn

        barrier.wait()
        try:
            results.append(services.outbox_deliver(message_id=message.pk))
        finally:
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]
    assert len(mail.outbox) == 1


def test_periodic_tasks_are_collected_from_the_apps():
    from config.celery import _schedule_app_periodic_tasks, app, app_periodic_tasks

    assert "notifications-outbox-retry" in app_periodic_tasks()
    _schedule_app_periodic_tasks()
    assert app.conf.beat_schedule["notifications-outbox-retry"]["task"] == "notifications.tasks.deliver_outbox_due"
