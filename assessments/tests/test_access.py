"""Access per role for every document kind, with e-ID for the family (the shared access
matrix covers password sessions), plus the service layer refusing crafted requests."""

import pytest
from django.urls import reverse

from accounts.assurance import HIGH, SESSION_KEY
from assessments.tests.matrix import EID_MATRIX, MATRIX
from tests.test_access_matrix import MATRIX as PROJECT_MATRIX


@pytest.fixture
def urls(demo):
    from tests.matrix import collected_url_builders

    return collected_url_builders(demo)


def test_every_url_has_an_eid_row():
    assert set(EID_MATRIX) == set(MATRIX)
    assert all(name in PROJECT_MATRIX for name in MATRIX)


@pytest.mark.parametrize("name", sorted(EID_MATRIX))
def test_family_with_eid(name, eid_client_for, urls):
    target, _expected = MATRIX[name]
    url = urls.get(target) or reverse(target)
    wrong = []
    for role, want in zip(["guardian", "other_guardian", "student"], EID_MATRIX[name], strict=True):
        client = eid_client_for(role)
        assert client.session[SESSION_KEY] == HIGH
        got = client.get(url).status_code
        if got != want:
            wrong.append(f"{role}: expected {want}, got {got}")
    assert not wrong, f"{name} ({url}): " + "; ".join(wrong)


def test_password_session_is_sent_to_eid_and_back(client_for, demo):
    url = reverse("assessments:child", args=[demo["elias"].pk])
    response = client_for("guardian").get(url)
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("accounts:eid-start") + "?next=%2Fbedomningar%2Fbarn%2F" + str(demo["elias"].pk) + "%2F"
    )


def test_other_staff_at_the_same_unit_sees_nothing(demo):
    """The fritids pedagog works at Norrskolans fritidshem where Elias is placed, but is not
    his teacher: 404 on every document kind."""
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email="fritids@example.se"))
    for name in ["child", "child-grades", "child-iup", "child-support", "child-notes", "child-log"]:
        assert client.get(reverse(f"assessments:{name}", args=[demo["elias"].pk])).status_code == 404, name
