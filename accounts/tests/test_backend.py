"""The logged-in person is read from the database on every request
(accounts.backends.load_user, a statement compiled once): a change to the account takes
effect on the next request, whatever else is cached."""

import pytest
from django.urls import reverse

from accounts.backends import load_user

pytestmark = pytest.mark.django_db


def test_load_user_is_the_orms_row(personas):
    anna = personas["guardian"]
    loaded = load_user(anna.pk)
    assert loaded == anna and loaded is not anna
    for field in type(anna)._meta.concrete_fields:
        assert getattr(loaded, field.attname) == getattr(anna, field.attname), field.name
    assert loaded._state.adding is False and loaded._state.db == "default"
    assert load_user(10**9) is None and load_user("not a number") is None
    assert load_user(str(anna.pk)) == anna  # the session keeps the id as text


def test_deactivation_password_change_and_deletion_take_effect_on_the_next_request(client_for, personas):
    hub = reverse("hub:dashboard")
    anna = client_for("guardian")
    assert anna.get(hub).status_code == 200
    type(personas["guardian"]).objects.filter(pk=personas["guardian"].pk).update(is_active=False)
    assert anna.get(hub).status_code == 302, "deactivated: logged out at once"

    teacher = client_for("teacher")
    assert teacher.get(hub).status_code == 200
    user = personas["teacher"]
    user.set_password("ett-helt-nytt-lösenord-2026")
    type(user).objects.filter(pk=user.pk).update(password=user.password)
    assert teacher.get(hub).status_code == 302, "another session ends when the password changes"

    principal = client_for("principal")
    assert principal.get(hub).status_code == 200
    personas["principal"].delete()
    assert principal.get(hub).status_code == 302
