"""The admin's permission pickers name permissions in the viewer's language at display time
(accounts/permissions.py), not in the English Django stored in the table."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import translation

from accounts.permissions import permission_label, permission_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(db):
    group = Group.objects.create(name="Enhetsadministratörer")
    group.permissions.set(Permission.objects.filter(codename__in=["add_child", "view_protected_identity"]))
    return group


def _option_texts(html: str) -> str:
    return html.split('name="permissions"', 1)[1].split("</select>", 1)[0]


def test_group_form_in_swedish_says_kan_lagga_till(client_for, group):
    html = client_for("admin").get(reverse("admin:auth_group_change", args=[group.pk])).content.decode()
    options = _option_texts(html)
    assert "Kan lägga till" in options and "Can add" not in options
    assert "Organisation och barn | barn/elev | Kan lägga till barn/elev" in options
    assert "Kan ändra barn/elev" in options and "Kan ta bort barn/elev" in options and "Kan visa barn/elev" in options
    # A permission declared in Meta.permissions, by its translatable name.
    assert "Kan se personnummer och adress för barn med skyddad identitet" in options
    # The stored rows are untouched (no one-off rewrite in one language).
    assert Permission.objects.get(codename="add_child").name == "Can add barn/elev"


def test_group_form_in_english_says_can_add(client_for, group):
    admin = client_for("admin")
    admin.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    options = _option_texts(admin.get(reverse("admin:auth_group_change", args=[group.pk])).content.decode())
    assert "Kan lägga till" not in options and "Kan se personnummer" not in options
    with translation.override("en"):
        child_name = str(Permission.objects.get(codename="add_child").content_type.model_class()._meta.verbose_name)
    assert f"Can add {child_name}" in options
    assert child_name != "barn/elev"


def test_user_form_permissions_in_swedish(client_for, personas):
    html = client_for("admin").get(reverse("admin:accounts_user_change", args=[personas["teacher"].pk]))
    options = html.content.decode().split('name="user_permissions"', 1)[1].split("</select>", 1)[0]
    assert "Kan ändra användare" in options and "Can change" not in options


def test_labels_follow_the_active_language():
    permission = Permission.objects.select_related("content_type").get(codename="delete_placement")
    with translation.override("sv"):
        assert permission_name(permission) == "Kan ta bort placering"
        assert permission_label(permission) == "Organisation och barn | placering | Kan ta bort placering"
    with translation.override("en"):
        assert permission_name(permission).startswith("Can delete ")
        assert "placering" not in permission_label(permission)
