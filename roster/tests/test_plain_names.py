"""Names are plain text (roster.validators.validate_plain_name): markup (< and >) and control
characters are refused with a Swedish message, in the admin, the services and the SS 12000
import; real names with hyphens, apostrophes and Swedish letters are accepted."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from roster.models import Child, ExternalId, Group, Unit
from roster.validators import validate_plain_name

MESSAGE = "Namnet får inte innehålla tecknen &lt; eller &gt;."  # as the admin's HTML shows it
SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "ss12000_demo.json"

PLAIN = ["Anna-Lena", "O'Brien", "Åsa Örn", "Ängla Öberg-Ståhl", "José María", "Ngũgĩ", "St. John", "Lärare & co"]
MARKUP = ["<script>alert(1)</script>", "Anna<b>", "a > b", "<img src=x onerror=alert(1)>", "Anna\nLena", "Bo\tBerg"]


@pytest.mark.parametrize("name", PLAIN)
def test_real_names_are_accepted(name):
    validate_plain_name(name)


@pytest.mark.parametrize("name", MARKUP)
def test_markup_and_control_characters_are_refused(name):
    with pytest.raises(ValidationError) as caught:
        validate_plain_name(name)
    expected = "kontrolltecken" if ("\n" in name or "\t" in name) else "tecknen < eller >"
    assert expected in caught.value.messages[0]


def _child_form(**overrides):
    data = {
        "given_name": "Greta",
        "family_name": "Gran",
        "personnummer": "20190312-2388",
        "street_address": "",
        "postal_code": "",
        "city": "",
        "guardianships-TOTAL_FORMS": "0",
        "guardianships-INITIAL_FORMS": "0",
        "placements-TOTAL_FORMS": "0",
        "placements-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_admin_add_with_script_in_a_childs_name_stores_nothing(client_for):
    response = client_for("admin").post(
        reverse("admin:roster_child_add"), _child_form(given_name="<script>alert(1)</script>")
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert response.context["adminform"].form.errors["given_name"] == ["Namnet får inte innehålla tecknen < eller >."]
    assert not Child.objects.filter(personnummer="201903122388").exists()


@pytest.mark.django_db
def test_admin_change_with_markup_changes_nothing(client_for, demo):
    alva = demo["alva"]
    response = client_for("admin").post(
        reverse("admin:roster_child_change", args=[alva.pk]),
        _child_form(given_name="Alva", family_name="Andersson<b>", personnummer=alva.personnummer),
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    alva.refresh_from_db()
    assert alva.family_name == "Andersson"


@pytest.mark.django_db
def test_admin_accepts_plain_names_with_hyphen_apostrophe_and_swedish_letters(client_for):
    response = client_for("admin").post(
        reverse("admin:roster_child_add"), _child_form(given_name="Anna-Lena Åsa", family_name="O'Brien Örn")
    )
    assert response.status_code == 302
    assert Child.objects.get(personnummer="201903122388").full_name == "Anna-Lena Åsa O'Brien Örn"


@pytest.mark.django_db
def test_admin_user_forms_refuse_markup(client_for, personas):
    admin = client_for("admin")
    response = admin.post(
        reverse("admin:accounts_user_add"), {"email": "ny@example.se", "first_name": "<b>Ny</b>", "last_name": "Person"}
    )
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not User.objects.filter(email="ny@example.se").exists()

    anna = personas["guardian"]
    page = admin.get(reverse("admin:accounts_user_change", args=[anna.pk]))
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items() if name in form.fields and value not in (None, False)}
    data.pop("password", None)
    data.update(last_name="Andersson\r\n<i>", groups=[], user_permissions=[])
    data["date_joined_0"], data["date_joined_1"] = "2026-01-01", "08:00:00"
    response = admin.post(reverse("admin:accounts_user_change", args=[anna.pk]), data)
    assert response.status_code == 200
    assert "last_name" in response.context["adminform"].form.errors
    anna.refresh_from_db()
    assert anna.last_name == "Andersson"


@pytest.mark.django_db
def test_admin_unit_and_group_names_refuse_markup(client_for, demo):
    admin = client_for("admin")
    response = admin.post(
        reverse("admin:roster_group_add"), {"unit": demo["norrskolan"].pk, "name": "<u>4C</u>", "kind": "klass"}
    )
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not Group.objects.filter(name__contains="4C").exists()
    unit = Unit(name="Norr<skolan>", kind=Unit.Kind.GRUNDSKOLA)
    with pytest.raises(ValidationError) as caught:
        unit.full_clean()
    assert "name" in caught.value.message_dict


@pytest.mark.django_db
def test_child_create_service_refuses_markup():
    from roster.services import child_create

    with pytest.raises(ValidationError) as caught:
        child_create(given_name="Greta", family_name="<script>", personnummer_value="20190312-2388")
    assert caught.value.message_dict["family_name"] == ["Namnet får inte innehålla tecknen < eller >."]
    assert not Child.objects.filter(personnummer="201903122388").exists()
    child = child_create(given_name="Anna-Lena", family_name="O'Brien", personnummer_value="20190312-2388")
    assert child.full_name == "Anna-Lena O'Brien"


@pytest.mark.django_db
def test_ss12000_import_refuses_rows_with_markup_and_stores_plain_names():
    from roster.ss12000 import ss12000_import

    data = json.loads(SAMPLE.read_text())
    persons = {p["givenName"]: p for p in data["persons"]}
    persons["Tove"]["givenName"] = "<script>alert(1)</script>"  # a child
    persons["Olof"]["familyName"] = "Ek<img src=x onerror=alert(1)>"  # a guardian
    persons["Lisa"]["givenName"], persons["Lisa"]["familyName"] = "Anna-Lena", "O'Brien"
    persons["Noah"]["givenName"], persons["Noah"]["familyName"] = "Åsa", "Örn"
    group = next(g for g in data["groups"] if g["displayName"] == "2A")
    group["displayName"] = "2A</td><td>"

    report = ss12000_import(data)

    refused = "\n".join(report.refused)
    assert f"barn {persons['Tove']['id']}: Namnet får inte innehålla tecknen < eller >." in refused
    assert f"person {persons['Olof']['id']}: Namnet får inte innehålla tecknen < eller >." in refused
    assert f"grupp {group['id']}: Namnet får inte innehålla tecknen < eller >." in refused
    assert not Child.objects.filter(given_name__contains="<").exists()
    assert not User.objects.filter(last_name__contains="<").exists()
    assert not User.objects.filter(email="olof.ek@example.se").exists()
    assert not Group.objects.filter(name__contains="<").exists()
    assert not ExternalId.objects.filter(external_id__in=[persons["Tove"]["id"], group["id"]]).exists()
    # The plain names went in as they were written.
    assert User.objects.filter(first_name="Anna-Lena", last_name="O'Brien", email="lisa.ek@example.se").exists()
    assert Child.objects.filter(given_name="Åsa", family_name="Örn").exists()
