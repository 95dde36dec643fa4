"""Delivery of the one notification table: the bell, mark read, per-person and per-kind
choices, e-mail batched (one mail, not one per event), through the outbox with the broker
down and up."""

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from conftest import require_service, wait_for_mail
from notifications import delivery, tasks
from notifications.models import Notification, NotificationSettings, OutboxMessage
from notifications.services import notify, outbox_deliver_due
from tests.budgets import VIEWER

SESSION = 1 if django_settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0


def _tell(user, n=1, kind="messaging.message"):
    for i in range(n):
        notify(recipients=[user], kind=kind, title=f"Händelse {i}", url=f"/meddelanden/{i}/")


@pytest.mark.django_db
def test_email_is_batched_one_mail_per_person(personas):
    anna, bo = personas["guardian"], personas["other_guardian"]
    Notification.objects.all().delete()
    _tell(anna, 3)
    _tell(bo, 1, kind="bookings.booking")
    assert delivery.notifications_dispatch() == 4
    mail.outbox.clear()
    assert delivery.notifications_email_batch() == 2
    outbox_deliver_due()
    to_anna = [m for m in mail.outbox if m.to == [anna.email]]
    assert len(to_anna) == 1
    assert all(f"Händelse {i}" in to_anna[0].body for i in range(3))
    assert "http://" in to_anna[0].body  # absolute links
    # Nothing waits any more: the next batch sends nothing.
    assert delivery.notifications_email_batch() == 0


@pytest.mark.django_db
def test_read_in_the_app_before_the_batch_is_not_mailed(personas, client_for):
    anna = personas["guardian"]
    Notification.objects.all().delete()
    _tell(anna, 2)
    delivery.notifications_dispatch()
    client_for("guardian").post(reverse("notifications:mark-read"))
    assert delivery.notifications_email_batch() == 0


@pytest.mark.django_db
def test_choices_per_kind_and_channel(personas, client_for):
    anna = personas["guardian"]
    Notification.objects.all().delete()
    guardian = client_for("guardian")
    form = guardian.get(reverse("notifications:settings")).context["form"]
    data = {name: "on" for name, field in form.fields.items() if name.startswith("k__") and field.initial}
    data.pop("k__messaging__message__email")  # no e-mail about messages
    data.pop("k__bookings__published__app")  # nothing at all about published slots
    data.update({"digest_enabled": "on", "digest_time": "19:30"})
    assert guardian.post(reverse("notifications:settings"), data).status_code == 302
    prefs = NotificationSettings.objects.get(user=anna)
    assert set(prefs.off) == {"messaging.message:email", "bookings.published:app"}
    assert prefs.digest_enabled and prefs.digest_time.strftime("%H:%M") == "19:30"
    _tell(anna, 1, kind="messaging.message")
    _tell(anna, 1, kind="bookings.published")
    _tell(anna, 1, kind="bookings.booking")
    delivery.notifications_dispatch()
    assert list(Notification.objects.filter(email_due=True).values_list("kind", flat=True)) == ["bookings.booking"]
    # Switched off in the app: not counted by the bell, not listed.
    bell = guardian.get(reverse("notifications:bell"))
    assert bell.context["count"] == 2
    assert [r["kind"] for r in guardian.get(reverse("notifications:list")).context["rows"]] == [
        "bookings.booking",
        "messaging.message",
    ]
    # A bad time is a form error and changes nothing.
    response = guardian.post(reverse("notifications:settings"), {**data, "digest_time": "03:00"})
    assert response.status_code == 200 and response.context["form"].errors
    assert NotificationSettings.objects.get(user=anna).digest_time.strftime("%H:%M") == "19:30"


@pytest.mark.django_db
def test_bell_list_and_mark_read(personas, client_for):
    anna, bo = personas["guardian"], personas["other_guardian"]
    Notification.objects.filter(recipient__in=[anna, bo]).delete()
    _tell(anna, 2)
    _tell(bo, 1)
    guardian = client_for("guardian")
    bell = guardian.get(reverse("notifications:bell")).content.decode()
    assert ">2</span>" in bell and reverse("notifications:list") in bell
    mine = Notification.objects.filter(recipient=anna).order_by("pk")
    # Someone else's id is ignored; one's own is marked.
    guardian.post(
        reverse("notifications:mark-read"), {"id": [str(mine[0].pk), str(Notification.objects.get(recipient=bo).pk)]}
    )
    assert guardian.get(reverse("notifications:bell")).context["count"] == 1
    assert Notification.objects.get(recipient=bo).read_at is None
    response = guardian.post(reverse("notifications:mark-read"), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("notifications:list")
    assert guardian.get(reverse("notifications:bell")).context["count"] == 0
    assert guardian.get(reverse("notifications:mark-read")).status_code == 405


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 40])
def test_bell_and_list_have_constant_queries(rows, personas, client_for, django_assert_num_queries):
    anna = personas["guardian"]
    _tell(anna, rows)
    guardian = client_for("guardian")
    # session, user, the person's settings, the count (no viewer: the bell shows no menu)
    with django_assert_num_queries(SESSION + 3):
        guardian.get(reverse("notifications:bell"))
    # session, settings, newest rows; the page's menu: the viewer. The user's row comes from
    # the cache (the bell's request stored it).
    with django_assert_num_queries(SESSION + 2 + VIEWER):
        guardian.get(reverse("notifications:list"))


@pytest.mark.django_db(transaction=True)
def test_redis_down_the_notification_waits_and_the_retry_delivers(settings):
    """The broker is unreachable when the change commits: the row is stored, the after-
    commit routing fails quietly, the minute's retry routes it and the batch mails it."""
    from accounts.models import User
    from config.celery import app as celery_app

    person = User.objects.create_user("vh@example.se", first_name="Vera")
    previous = (celery_app.conf.task_always_eager, celery_app.conf.broker_url)
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = "redis://127.0.0.1:6399/0"  # nothing listens here
    celery_app.conf.broker_connection_retry = False
    celery_app.conf.broker_connection_max_retries = 0
    celery_app.conf.broker_transport_options = {"max_retries": 0}
    try:
        with transaction.atomic():
            notify(
                recipients=[person], kind="messaging.message", title="Nytt meddelande: Utflykten", url="/meddelanden/1/"
            )
    finally:
        celery_app.conf.task_always_eager, celery_app.conf.broker_url = previous
        celery_app.conf.broker_transport_options = {}
    row = Notification.objects.get(recipient=person)
    assert row.dispatched_at is None and not row.email_due  # waits for the retry
    assert mail.outbox == []
    assert tasks.dispatch_notifications() >= 1
    row.refresh_from_db()
    assert row.dispatched_at is not None and row.email_due
    assert tasks.email_batch() >= 1  # the broker is back: delivered after commit
    tasks.deliver_outbox_due()
    [sent] = [m for m in mail.outbox if m.to == ["vh@example.se"]]
    assert "Utflykten" in sent.body
    assert OutboxMessage.objects.get(to=["vh@example.se"]).state == OutboxMessage.State.SENT


@pytest.mark.django_db(transaction=True)
def test_broker_up_routes_at_once_in_process():
    from accounts.models import User

    person = User.objects.create_user("vh2@example.se", first_name="Vera")
    with transaction.atomic():
        notify(recipients=[person], kind="messaging.message", title="Nytt", url="/meddelanden/1/")
    row = Notification.objects.get(recipient=person)
    assert row.dispatched_at is not None and row.email_due  # routed right after commit


@pytest.mark.services
@pytest.mark.real_celery
def test_redis_up_a_real_worker_routes_and_mails(celery_worker_process):
    """With Redis: the worker routes the notification after commit and sends the batch."""
    require_service(bool(django_settings.REDIS_URL), "Redis (REDIS_URL)")
    from accounts.models import User

    person = User.objects.create_user("vh3@example.se", first_name="Vera")
    with transaction.atomic():
        notify(recipients=[person], kind="messaging.message", title="Nytt från skolan", url="/meddelanden/1/")
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not Notification.objects.filter(recipient=person, email_due=True).exists():
        time.sleep(0.3)
    assert Notification.objects.get(recipient=person).dispatched_at is not None
    tasks.email_batch.delay()
    texts = wait_for_mail(celery_worker_process["mail_dir"])
    assert any("Nytt från skolan" in t for t in texts)


def test_kinds_are_declared_by_the_apps():
    kinds = delivery.kinds()
    assert {"messaging.message", "bookings.booking", "bookings.published"} <= set(kinds)


@pytest.mark.django_db
def test_the_sites_service_worker_shows_pushes():
    """One service worker for the whole site (api's): it also shows the generic push."""
    response = Client().get(reverse("pwa-service-worker"))
    assert response.status_code == 200
    assert b'addEventListener("push"' in response.content and b"showNotification" in response.content
