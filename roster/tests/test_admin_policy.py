"""The admin follows the site's access policy for staff who are not superusers: own units only,
and personnummer and address of a child with protected identity only with the explicit
permission roster.view_protected_identity."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from roster.models import Child, Placement

pytestmark = pytest.mark.django_db

MODELS = {"roster": ["child", "placement", "guardianship", "unit", "group", "staffduty"], "accounts": ["user"]}


def _admin_client(user, *, protected=False) -> Client:
    """A unit administrator: is_staff with view/change/add on the roster models, not superuser."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    codenames = [
        f"{action}_{model}" for models in MODELS.values() for model in models for action in ("view", "change", "add")
    ]
    perms = list(Permission.objects.filter(codename__in=codenames))
    if protected:
        perms.append(Permission.objects.get(codename="view_protected_identity"))
    user.user_permissions.set(perms)
    client = Client()
    client.force_login(user)
    return client


def _change(model, obj) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])


def test_unit_administrator_sees_only_own_units_children(personas, demo):
    pedagog = _admin_client(personas["other_staff"])  # Solrosen
    listing = pedagog.get(reverse("admin:roster_child_changelist"))
    assert listing.status_code == 200
    names = {c.pk for c in listing.context["cl"].result_list}
    assert demo["alva"].pk in names
    assert demo["bella"].pk not in names and demo["elias"].pk not in names
    assert pedagog.get(_change(Child, demo["alva"])).status_code == 200
    # Another unit's child "does not exist" (the admin redirects with a message), as on the site.
    assert pedagog.get(_change(Child, demo["bella"])).status_code == 302
    assert pedagog.post(_change(Child, demo["bella"]), {"given_name": "X"}).status_code == 302
    assert Child.objects.get(pk=demo["bella"].pk).given_name == "Bella"


def test_placements_and_people_of_own_units_only(personas, demo):
    principal = _admin_client(personas["principal"])  # Norrskolan and its fritidshem
    placements = principal.get(reverse("admin:roster_placement_changelist")).context["cl"].result_list
    assert {p.unit_id for p in placements} <= {demo["norrskolan"].pk, demo["fritids"].pk}
    alva_placement = Placement.objects.filter(child=demo["alva"]).first()
    assert principal.get(_change(Placement, alva_placement)).status_code == 302
    # Moving a placement to a unit that is not theirs is not a choice.
    elias_placement = Placement.objects.filter(child=demo["elias"], unit=demo["norrskolan"]).first()
    page = principal.get(_change(Placement, elias_placement))
    assert page.status_code == 200
    units = {u.pk for u in page.context["adminform"].form.fields["unit"].queryset}
    assert demo["solrosen"].pk not in units and demo["norrskolan"].pk in units
    response = principal.post(
        _change(Placement, elias_placement),
        {
            "child": elias_placement.child_id,
            "unit": demo["solrosen"].pk,
            "group": "",
            "start_date": elias_placement.start_date.isoformat(),
            "end_date": "",
        },
    )
    assert response.status_code == 200 and response.context["adminform"].form.errors.get("unit")
    elias_placement.refresh_from_db()
    assert elias_placement.unit == demo["norrskolan"]
    # People: Anna (guardian of Elias at Norrskolan) yes; Solrosen's pedagog no.
    people = {u.email for u in principal.get(reverse("admin:accounts_user_changelist")).context["cl"].result_list}
    assert "anna.andersson@example.se" in people and "bo.berg@example.se" in people
    assert "pedagog.solen@example.se" not in people
    assert "admin@example.se" not in people


def test_a_unit_administrator_cannot_hand_out_admin_rights(personas, demo):
    principal = _admin_client(personas["principal"])
    form = principal.get(_change(type(personas["guardian"]), personas["guardian"])).context["adminform"].form
    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    assert "is_staff" not in form.fields


def test_protected_identity_hidden_without_the_permission(personas, demo):
    dennis = demo["dennis"]
    Child.objects.filter(pk=dennis.pk).update(street_address="Hemliga vägen 1", postal_code="12345", city="Staden")
    principal = _admin_client(personas["principal"])
    page = principal.get(_change(Child, dennis))
    text = page.content.decode()
    assert page.status_code == 200
    assert dennis.personnummer not in text and "Hemliga vägen" not in text
    assert "personnummer" not in page.context["adminform"].form.fields
    listing = principal.get(reverse("admin:roster_child_changelist")).content.decode()
    row = next(tr for tr in listing.split("<tr") if "Dennis" in tr)
    assert "skyddad" in row and dennis.personnummer_masked not in row
    # Searching by personnummer finds nothing (it would tell who is protected).
    found = principal.get(reverse("admin:roster_child_changelist") + "?q=" + dennis.personnummer[:8])
    assert dennis.pk not in {c.pk for c in found.context["cl"].result_list}
    # Saving the form keeps what it does not show.
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if k in form.fields and v is not None}
    data.update(
        {
            "user": "",
            "protected_identity": "on",
            "given_name": "Dennis",
            "family_name": "Dahl",
            "guardianships-TOTAL_FORMS": "0",
            "guardianships-INITIAL_FORMS": "0",
            "placements-TOTAL_FORMS": "0",
            "placements-INITIAL_FORMS": "0",
        }
    )
    data.pop("photo_consent", None)
    response = principal.post(_change(Child, dennis), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    dennis.refresh_from_db()
    assert dennis.street_address == "Hemliga vägen 1" and dennis.personnummer


def test_the_explicit_permission_shows_protected_details(personas, demo):
    dennis = demo["dennis"]
    principal = _admin_client(personas["principal"], protected=True)
    page = principal.get(_change(Child, dennis))
    assert "personnummer" in page.context["adminform"].form.fields
    listing = principal.get(reverse("admin:roster_child_changelist")).content.decode()
    row = next(tr for tr in listing.split("<tr") if "Dennis" in tr)
    assert dennis.personnummer_masked in row


def test_superuser_sees_everything(client_for, demo):
    admin = client_for("admin")
    names = {c.pk for c in admin.get(reverse("admin:roster_child_changelist")).context["cl"].result_list}
    assert {demo["alva"].pk, demo["bella"].pk, demo["dennis"].pk} <= names
    assert "personnummer" in admin.get(_change(Child, demo["dennis"])).context["adminform"].form.fields
