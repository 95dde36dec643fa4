"""The outbox ("Utgående meddelanden") and the notifications in the admin follow roster.admin's
rule for staff who are not superusers: only what goes to the people of their own units."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from notifications.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


def _admin_client(user) -> Client:
    """A unit administrator: is_staff with view and change on the outbox and notifications."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    codenames = [f"{a}_{m}" for m in ("outboxmessage", "notification") for a in ("view", "change")]
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client = Client()
    client.force_login(user)
    return client


def _message(subject: str, to: list[str], kind: str = OutboxMessage.Kind.EMAIL) -> OutboxMessage:
    return OutboxMessage.objects.create(kind=kind, subject=subject, to=to, body_text="Hej")


def _listed(client, name: str) -> set[str]:
    response = client.get(reverse(f"admin:notifications_{name}_changelist"))
    assert response.status_code == 200
    return {str(obj) for obj in response.context["cl"].result_list}


def _change(obj) -> str:
    return reverse(f"admin:notifications_{obj._meta.model_name}_change", args=[obj.pk])


def _outbox(personas):
    bo, anna = personas["other_guardian"], personas["guardian"]
    return {
        # Anna: guardian of Elias (Norrskolan and its fritidshem) and Alva (Solrosen).
        "anna": _message("Till Anna", [anna.email]),
        # Bo: guardian of Bella in 3B at Norrskolan only.
        "bo": _message("Till Bo", [bo.email]),
        "bo_push": _message("Push till Bo", [str(bo.pk)], kind=OutboxMessage.Kind.PUSH),
        # Two families in two units: neither unit may read the other's address.
        "bo_and_pedagog": _message("Till Bo och pedagogen", [bo.email, personas["other_staff"].email]),
        # An address that is nobody's account, and a message without recipients: not tied to a unit.
        "stranger": _message("Till någon annan", ["okand@example.org"]),
        "nobody": _message("Till ingen", []),
    }


def test_unit_administrator_sees_only_messages_to_people_of_own_units(personas, demo):
    messages = _outbox(personas)
    principal = _admin_client(personas["principal"])  # Norrskolan and its fritidshem
    pedagog = _admin_client(personas["other_staff"])  # Solrosen

    seen = {key for key, m in messages.items() if str(m) in _listed(principal, "outboxmessage")}
    assert seen == {"anna", "bo", "bo_push"}
    seen = {key for key, m in messages.items() if str(m) in _listed(pedagog, "outboxmessage")}
    assert seen == {"anna"}

    # Another unit's message "does not exist" (the admin redirects with a message), as for children.
    assert principal.get(_change(messages["anna"])).status_code == 200
    for key in ("bo_and_pedagog", "stranger", "nobody"):
        assert principal.get(_change(messages[key])).status_code == 302, key
    assert pedagog.get(_change(messages["bo"])).status_code == 302
    assert pedagog.get(_change(messages["bo_push"])).status_code == 302


def test_the_retry_action_reaches_only_own_messages(personas, demo):
    messages = _outbox(personas)
    OutboxMessage.objects.update(state=OutboxMessage.State.FAILED)
    pedagog = _admin_client(personas["other_staff"])
    pks = [m.pk for m in messages.values()]
    response = pedagog.post(
        reverse("admin:notifications_outboxmessage_changelist"),
        {"action": "retry", "_selected_action": pks},
    )
    assert response.status_code == 302
    pending = set(OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING).values_list("pk", flat=True))
    pending |= set(OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).values_list("pk", flat=True))
    assert pending == {messages["anna"].pk}


def test_superuser_sees_every_message(personas, demo):
    messages = _outbox(personas)
    admin = Client()
    admin.force_login(personas["admin"])
    assert {str(m) for m in messages.values()} <= _listed(admin, "outboxmessage")
    for message in messages.values():
        assert admin.get(_change(message)).status_code == 200


def test_notifications_to_people_of_own_units_only(personas, demo):
    to_bo = Notification.objects.create(recipient=personas["other_guardian"], kind="test.kind", title="Till Bo")
    to_anna = Notification.objects.create(recipient=personas["guardian"], kind="test.kind", title="Till Anna")
    pedagog = _admin_client(personas["other_staff"])
    listed = _listed(pedagog, "notification")
    assert str(to_anna) in listed and str(to_bo) not in listed
    assert pedagog.get(_change(to_bo)).status_code == 302
    assert pedagog.get(_change(to_anna)).status_code == 200
    admin = Client()
    admin.force_login(personas["admin"])
    assert {str(to_bo), str(to_anna)} <= _listed(admin, "notification")
