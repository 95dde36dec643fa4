import pytest
from django.urls import reverse

from accounts import assurance
from hub.models import UnitBoxes
from hub.registry import Box, registry

# The boxes of the first domains; apps added later bring boxes of their own, tested there.
CORE = {"information", "kalender", "franvaro", "schema-forskola", "schema-fritids", "lektioner"}


@pytest.mark.django_db
def test_anna_sees_both_children_with_information_and_calendar(client_for):
    response = client_for("guardian").get(reverse("hub:dashboard"))
    board = response.context["board"]
    assert [c.title for c in board.family] == ["Elias Andersson", "Alva Andersson"]
    # Domain boxes sit between them: Frånvaro for both, the care schedule per kind of care
    # placement, the lessons (Schema) only for the school child.
    assert [[v.box.key for v in column.boxes if v.box.key in CORE] for column in board.family] == [
        ["information", "franvaro", "schema-fritids", "kalender", "lektioner"],
        ["information", "franvaro", "schema-forskola", "kalender"],
    ]
    html = response.content.decode()
    assert "Veckobrev 3B" in html and "Veckan på Solen" in html


@pytest.mark.django_db
def test_selected_child_is_remembered(client_for, demo):
    anna = client_for("guardian")
    anna.get(reverse("hub:dashboard") + f"?barn={demo['alva'].pk}")
    assert anna.get(reverse("hub:dashboard")).context["board"].selected_child_id == demo["alva"].pk
    # Another family's child id cannot be selected.
    anna.get(reverse("hub:dashboard") + f"?barn={demo['bella'].pk}")
    assert anna.get(reverse("hub:dashboard")).context["board"].selected_child_id != demo["bella"].pk


@pytest.mark.django_db
def test_student_sees_themself_and_staff_see_their_units(client_for):
    student = client_for("student").get(reverse("hub:dashboard")).context["board"]
    assert [c.title for c in student.family] == ["Elias Andersson"] and not student.staff
    principal = client_for("principal").get(reverse("hub:dashboard")).context["board"]
    assert [c.title for c in principal.staff] == ["Norrskolan", "Norrskolans fritidshem"]
    assert not principal.family


@pytest.mark.django_db
def test_a_unit_can_switch_off_a_box(client_for, demo):
    UnitBoxes.objects.create(unit=demo["solrosen"], enabled=["information"])
    board = client_for("guardian").get(reverse("hub:dashboard")).context["board"]
    alva = next(c for c in board.family if c.title == "Alva Andersson")
    elias = next(c for c in board.family if c.title == "Elias Andersson")
    assert [v.box.key for v in alva.boxes] == ["information"]
    assert [v.box.key for v in elias.boxes if v.box.key in CORE] == [
        "information",
        "franvaro",
        "schema-fritids",
        "kalender",
        "lektioner",
    ]


class _SecretBox(Box):
    key = "test-hemligt"
    title = "Bedömningar"  # a test box: not a UI string to translate
    icon = "lock"
    assurance = assurance.HIGH
    template = "hub/boxes/information.html"

    def load_for_children(self, *, viewer, children):
        return {c.pk: [] for c in children}


@pytest.fixture
def secret_box():
    registry.register(_SecretBox)
    yield
    registry.unregister(_SecretBox.key)


@pytest.mark.django_db
def test_box_needing_eid_shows_a_lock_for_a_password_session(client_for, secret_box):
    client = client_for("guardian")
    html = client.get(reverse("hub:dashboard")).content.decode()
    assert "Logga in med e-legitimation för att se detta" in html
    session = client.session
    session[assurance.SESSION_KEY] = assurance.HIGH
    session.save()
    response = client.get(reverse("hub:dashboard"))
    assert "Logga in med e-legitimation för att se detta" not in response.content.decode()
    assert any(v.box.key == "test-hemligt" and not v.locked for v in response.context["board"].family[0].boxes)


@pytest.mark.django_db
def test_person_without_relations_gets_a_friendly_empty_hub(client):
    from accounts.models import User

    user = User.objects.create_user("tom@example.se", password="Lösenord-2026")
    client.force_login(user)
    assert "Här är det tomt än så länge" in client.get(reverse("hub:dashboard")).content.decode()
