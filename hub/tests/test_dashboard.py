import pytest
from django.urls import reverse

from accounts import assurance
from hub.models import UnitBoxes
from hub.registry import Box, registry
from hub.testing import hub_board

# The boxes of the first domains; apps added later bring boxes of their own, tested there.
CORE = {"information", "kalender", "franvaro", "schema-forskola", "schema-fritids", "lektioner"}


@pytest.mark.django_db
def test_anna_sees_both_children_with_information_and_calendar(client_for):
    response = client_for("guardian").get(reverse("hub:dashboard"))
    board = hub_board(response)
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
    assert hub_board(anna.get(reverse("hub:dashboard"))).selected_child_id == demo["alva"].pk
    # Another family's child id cannot be selected.
    anna.get(reverse("hub:dashboard") + f"?barn={demo['bella'].pk}")
    assert hub_board(anna.get(reverse("hub:dashboard"))).selected_child_id != demo["bella"].pk


@pytest.mark.django_db
def test_student_sees_themself_and_staff_see_their_units(client_for):
    student = hub_board(client_for("student").get(reverse("hub:dashboard")))
    assert [c.title for c in student.family] == ["Elias Andersson"] and not student.staff
    principal = hub_board(client_for("principal").get(reverse("hub:dashboard")))
    assert [c.title for c in principal.staff] == ["Norrskolan", "Norrskolans fritidshem"]
    assert not principal.family


@pytest.mark.django_db
def test_a_unit_can_switch_off_a_box(client_for, demo):
    UnitBoxes.objects.create(unit=demo["solrosen"], enabled=["information"])
    board = hub_board(client_for("guardian").get(reverse("hub:dashboard")))
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
    template = "hub/boxes/information.jinja"

    def load_for_children(self, *, viewer, children):
        return {c.pk: [] for c in children}


@pytest.fixture
def secret_box():
    registry.register(_SecretBox)
    yield
    registry.unregister(_SecretBox.key)


@pytest.mark.django_db
def test_box_needing_eid_shows_a_lock_for_a_password_session(client_for, personas, eid_login, secret_box):
    client = client_for("guardian")
    html = client.get(reverse("hub:dashboard")).content.decode()
    assert "Logga in med e-legitimation för att se detta" in html
    # Step-up through the development e-ID provider: the Hub (cached whole at LOW) opens the box.
    assert eid_login(client, personas["guardian"]).status_code == 302
    response = client.get(reverse("hub:dashboard"))
    assert "Logga in med e-legitimation för att se detta" not in response.content.decode()
    assert any(v.box.key == "test-hemligt" and not v.locked for v in hub_board(response).family[0].boxes)


@pytest.mark.django_db
def test_person_without_relations_gets_a_friendly_empty_hub(client):
    from accounts.models import User

    user = User.objects.create_user("tom@example.se", password="Lösenord-2026")
    client.force_login(user)
    assert "Här är det tomt än så länge" in client.get(reverse("hub:dashboard")).content.decode()


@pytest.mark.django_db
def test_information_shows_each_childs_latest_news_whatever_another_school_publishes(client_for, demo):
    """A busy school (Elias's, 100 new items) never pushes Alva's preschool news off the Hub."""
    from datetime import timedelta

    from django.utils import timezone

    from hub.models import NewsItem

    now = timezone.now()
    NewsItem.objects.bulk_create(
        NewsItem(title=f"Skolnyhet {i}", unit=demo["norrskolan"], publish_at=now - timedelta(minutes=i))
        for i in range(100)
    )
    board = hub_board(client_for("guardian").get(reverse("hub:dashboard")))
    boxes = {c.child_id: {v.box.key: v.data for v in c.boxes} for c in board.family}
    alva_news = [n["title"] for n in boxes[demo["alva"].pk]["information"]["news"]]
    elias_news = [n["title"] for n in boxes[demo["elias"].pk]["information"]["news"]]
    assert "Veckan på Solen" in alva_news and not any(t.startswith("Skolnyhet") for t in alva_news)
    assert elias_news[:3] == ["Skolnyhet 0", "Skolnyhet 1", "Skolnyhet 2"]
