"""The Hub boxes Bedömningar and Betyg: locked on a password session, shown with e-ID,
fresh after a change, and a constant query cost for one child or three."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments.models import Assessment, Criterion, Grade, GradeCatalogue, Level
from assessments.tests.helpers import group_with_pupils
from hub.models import UnitBoxes
from hub.registry import registry
from hub.testing import hub_board
from roster.models import Term, Unit
from school.models import Subject
from tests.test_query_budgets import HUB_BASE_QUERIES


def _boxes(response, child):
    column = next(c for c in hub_board(response).family if c.child_id == child.pk)
    return {v.box.key: v for v in column.boxes}


def test_password_session_sees_locked_boxes_with_the_eid_link(client_for, demo):
    response = client_for("guardian").get(reverse("hub:dashboard"))
    boxes = _boxes(response, demo["elias"])
    assert boxes["bedomningar"].locked and boxes["betyg"].locked
    html = response.content.decode()
    assert "Logga in med e-legitimation" in html
    assert reverse("accounts:eid-start") + "?next=/" in html
    assert "bedomningar" not in _boxes(response, demo["alva"])  # preschool: no assessments


def test_eid_session_sees_the_boxes_and_no_levels(eid_client_for, demo):
    response = eid_client_for("guardian").get(reverse("hub:dashboard"))
    boxes = _boxes(response, demo["elias"])
    assert not boxes["bedomningar"].locked
    assert boxes["bedomningar"].data["subjects"] == 3
    assert "betyg" not in boxes  # year 3: no grades, the box hides itself
    assert "Bedömd i 3 ämnen" in response.content.decode()


def test_grades_box_says_when_grades_come(eid_client_for, demo, eid_user_client):
    carin = User.objects.get(email="carin.carlsson@example.se")
    casper = next(c for c in demo["norrskolan"].placements.all() if c.child.given_name == "Casper").child
    response = eid_user_client(carin).get(reverse("hub:dashboard"))
    data = _boxes(response, casper)["betyg"].data
    assert data["published"] is None and data["upcoming"]["term"].startswith("HT")
    assert "publiceras" in response.content.decode()


def test_box_shows_a_new_assessment_at_once(client_for, eid_client_for, demo):
    elias = demo["elias"]
    guardian = eid_client_for("guardian")
    guardian.get(reverse("hub:dashboard"))
    guardian.get(reverse("hub:dashboard"))  # warm
    svenska = Subject.objects.get(name="Svenska")
    criterion = Criterion.objects.filter(subject=svenska, stage=3).first()
    teacher = client_for("teacher")
    url = reverse("assessments:matrix", args=[demo["3b"].pk, svenska.pk])
    today = timezone.localdate()
    teacher.post(url, {"assessed_on": today.isoformat(), f"l-{elias.pk}-{criterion.pk}": Level.RED})
    data = _boxes(guardian.get(reverse("hub:dashboard")), elias)["bedomningar"].data
    assert data["latest"] == today


@pytest.mark.parametrize("children", [1, 3])
def test_hub_budget_with_the_assessment_boxes(
    children, eid_client_for, demo, django_assert_num_queries, eid_user_client
):
    UnitBoxes.objects.bulk_create(
        UnitBoxes(unit=u, enabled=["information", "kalender", "bedomningar", "betyg"]) for u in Unit.objects.all()
    )
    guardian = User.objects.create_user("hub.budget@example.se", "x")
    _group, pupils = group_with_pupils(unit=demo["norrskolan"], grade="7", size=children, guardian=guardian, name="7H")
    term = Term.objects.filter(start_date__lte=timezone.localdate()).order_by("-start_date").first()
    criterion = Criterion.objects.filter(stage=9).first()
    subjects = list(Subject.objects.all()[:3])
    Assessment.objects.bulk_create(
        Assessment(child=p, criterion=criterion, level=Level.GREEN, assessed_on=timezone.localdate()) for p in pupils
    )
    Grade.objects.bulk_create(
        Grade(child=p, subject=s, term=term, unit=demo["norrskolan"], value="B") for p in pupils for s in subjects
    )
    GradeCatalogue.objects.filter(unit=demo["norrskolan"], term=term).update(
        publish_at=timezone.now() - timedelta(hours=1)
    )
    client = eid_user_client(guardian)
    # The platform's Hub, then what Bedömningar (subjects and latest date per child) and Betyg
    # (terms per child with their catalogues' betygsdag) declare: with data, exactly that.
    boxes = registry.get("bedomningar").queries + registry.get("betyg").queries
    with django_assert_num_queries(HUB_BASE_QUERIES + boxes):
        response = client.get(reverse("hub:dashboard"))
    assert len(hub_board(response).family) == children
    for pupil in pupils:
        assert _boxes(response, pupil)["betyg"].data["published"] is not None


def test_grades_box_follows_a_new_betygsdag(client_for, eid_user_client, demo):
    carin = User.objects.get(email="carin.carlsson@example.se")
    casper = next(c for c in demo["norrskolan"].placements.all() if c.child.given_name == "Casper").child
    client = eid_user_client(carin)
    client.get(reverse("hub:dashboard"))
    client.get(reverse("hub:dashboard"))  # warm
    term = Term.objects.filter(start_date__lte=timezone.localdate()).order_by("-start_date").first()
    day = timezone.localdate() + timedelta(days=12)
    url = reverse("assessments:catalogue", args=[demo["norrskolan"].pk]) + f"?termin={term.pk}"
    data = {"locked": "on", "publish_date": day.isoformat(), "publish_time": "16:30"}
    assert client_for("principal").post(url, data).status_code == 302
    upcoming = _boxes(client.get(reverse("hub:dashboard")), casper)["betyg"].data["upcoming"]
    assert timezone.localtime(upcoming["at"]).strftime("%Y-%m-%d %H:%M") == f"{day.isoformat()} 16:30"
