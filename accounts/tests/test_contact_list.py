"""The contact list: staff's work details; other families as each guardian chose (name,
phone, e-mail each hidden by default); protected identity never; staff of the group see
every guardian; guardians only their children's groups."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.budgets import VIEWER


def _page(client, group):
    return client.get(reverse("accounts:contact-list-group", args=[group.pk]))


@pytest.fixture
def bo_details(personas):
    User.objects.filter(pk=personas["other_guardian"].pk).update(
        phone_mobile="070-111 22 33", phone_work="08-555 00 00"
    )


@pytest.mark.django_db
def test_hidden_by_default_then_each_field_as_chosen(client_for, demo, personas, bo_details):
    anna = client_for("guardian")
    page = _page(anna, demo["3b"])
    data = page.context["data"]
    bella = next(f for f in data.families if f.child_name == "Bella Berg")
    assert bella.guardians == []  # Bo chose nothing: nothing about him
    assert "bo.berg@example.se" not in page.content.decode() and "070-111" not in page.content.decode()
    # Bo shows his name and phone through his contact page, not his e-mail.
    bo = client_for("other_guardian")
    response = bo.post(
        reverse("accounts:contact"),
        {"email": "bo.berg@example.se", "phone_mobile": "070-111 22 33", "share_name": "on", "share_phone": "on"},
    )
    assert response.status_code == 302
    page = _page(anna, demo["3b"])
    [guardian] = next(f for f in page.context["data"].families if f.child_name == "Bella Berg").guardians
    assert guardian.name == "Bo Berg" and guardian.phones == ["070-111 22 33"] and guardian.email == ""
    assert "08-555" not in page.content.decode()  # a work number is not the family's to show
    # The mentor's work details are there for the families.
    assert any(s.email == "larare.3b@example.se" for s in page.context["data"].staff)


@pytest.mark.django_db
def test_protected_identity_never_appears_not_even_for_staff(client_for, demo, personas):
    User.objects.filter(email="dana.dahl@example.se").update(share_name=True, share_email=True, share_phone=True)
    for role in ("guardian", "teacher", "principal", "admin"):
        page = _page(client_for(role), demo["3b"])
        html = page.content.decode()
        assert page.status_code == 200
        assert "Dennis" not in html and "Dana" not in html and "dana.dahl" not in html, role


@pytest.mark.django_db
def test_staff_of_the_group_see_every_guardians_details(client_for, demo, bo_details):
    page = _page(client_for("teacher"), demo["3b"])
    assert page.context["data"].full_details
    bella = next(f for f in page.context["data"].families if f.child_name == "Bella Berg")
    [bo] = bella.guardians
    assert bo.email == "bo.berg@example.se" and "070-111 22 33" in bo.phones


@pytest.mark.django_db
def test_guardians_see_only_their_childrens_groups(client_for, demo):
    groups = [g.name for g in client_for("guardian").get(reverse("accounts:contact-list")).context["groups"]]
    assert set(groups) == {"3B", "Solen", "Humlan"}
    assert _page(client_for("other_guardian"), demo["solen"]).status_code == 404
    assert _page(client_for("other_staff"), demo["3b"]).status_code == 404
    assert client_for("student").get(reverse("accounts:contact-list")).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 30])
def test_contact_list_queries_do_not_grow(extra, client_for, demo, django_assert_num_queries):
    from datetime import timedelta

    from django.utils import timezone

    from roster.models import Child, Guardianship, Placement

    start = timezone.localdate() - timedelta(days=10)
    for i in range(extra):
        child = Child.objects.create(
            given_name=f"Extra{i}",
            family_name="Elev",
            personnummer=f"2017010{i % 9 + 1}{i:04d}"[:12],
            date_of_birth="2017-01-01",
        )
        Placement.objects.create(child=child, unit=demo["norrskolan"], group=demo["3b"], start_date=start)
        parent = User.objects.create_user(f"extra{i}@example.se", first_name="F", last_name=str(i), share_name=True)
        Guardianship.objects.create(guardian=parent, child=child, start_date=start)
    from django.conf import settings

    session = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
    anna = client_for("guardian")
    # session, user, the viewer; the group; its staff, children, guardians
    with django_assert_num_queries(session + 1 + VIEWER + 1 + 3):
        response = _page(anna, demo["3b"])
    assert len(response.context["data"].families) >= 3 + extra
