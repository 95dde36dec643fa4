"""The admin's person pickers (guardianships, duties, group staff, placements, a student's
account) are autocomplete fields whose results tell namesakes apart: name, e-mail and the
birth date from the personnummer. A person whose details would reveal a protected identity
shows no birth date (and is not found by personnummer) without roster.view_protected_identity;
staff who are not superusers find only the people and children of their own units."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from roster.models import Guardianship
from roster.personnummer import with_check_digit
from roster.tests.test_admin_policy import _admin_client

pytestmark = pytest.mark.django_db

# The session is read from the database only with database sessions (not from Redis).
SESSION = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0


def _search(client, term, *, model="guardianship", field="guardian", app="roster"):
    response = client.get(
        reverse("admin:autocomplete"), {"app_label": app, "model_name": model, "field_name": field, "term": term}
    )
    assert response.status_code == 200, response.content[:500]
    return [r["text"] for r in response.json()["results"]]


def _pnr(yyyymmdd: str, serial: str = "123") -> str:
    return f"{yyyymmdd}{serial}{with_check_digit(yyyymmdd[2:] + serial)}"


@pytest.fixture
def namesake(db):
    return User.objects.create_user(
        "anna.a@example.com", first_name="Anna", last_name="Andersson", personnummer=_pnr("19900101")
    )


def test_namesakes_are_told_apart_by_email_and_birth_date(client_for, namesake):
    texts = _search(client_for("admin"), "Anna Andersson")
    assert sorted(texts) == [
        "Anna Andersson · anna.a@example.com · f. 1990-01-01",
        "Anna Andersson · anna.andersson@example.se · f. 1986-04-12",
    ]


def test_every_person_picker_uses_the_labelled_search(client_for, namesake):
    admin = client_for("admin")
    expected = "Anna Andersson · anna.a@example.com · f. 1990-01-01"
    for model, field in [
        ("guardianship", "guardian"),
        ("staffduty", "user"),
        ("groupstaff", "user"),
        ("child", "user"),
    ]:
        assert expected in _search(admin, "anna.a@", model=model, field=field), model
    # The child pickers (placements, guardianships) label children the same way.
    [alva] = _search(admin, "Alva", model="placement", field="child")
    assert alva.startswith("Alva Andersson · f. ")


def test_search_by_personnummer_with_or_without_hyphen(client_for, namesake):
    admin = client_for("admin")
    number = namesake.personnummer
    for term in (number, f"{number[:8]}-{number[8:]}", f"{number[2:8]}-{number[8:]}"):
        assert _search(admin, term) == ["Anna Andersson · anna.a@example.com · f. 1990-01-01"], term
    assert _search(admin, "anna.andersson@") == ["Anna Andersson · anna.andersson@example.se · f. 1986-04-12"]


def test_protected_identity_shows_no_birth_date_without_the_permission(personas, demo):
    dana = Guardianship.objects.get(child=demo["dennis"]).guardian  # Dennis has protected identity
    principal = _admin_client(personas["principal"])
    assert _search(principal, "Dahl") == ["Dana Dahl · dana.dahl@example.se"]
    # Nor can the personnummer find her (that would tell it).
    assert _search(principal, dana.personnummer) == []
    assert _search(principal, dana.personnummer[:8]) == []
    # Dennis himself: no birth date either.
    assert _search(principal, "Dennis", model="placement", field="child") == ["Dennis Dahl"]

    allowed = _admin_client(personas["principal"], protected=True)
    assert _search(allowed, "Dahl") == ["Dana Dahl · dana.dahl@example.se · f. 1990-06-30"]
    assert _search(allowed, dana.personnummer) == ["Dana Dahl · dana.dahl@example.se · f. 1990-06-30"]
    [dennis] = _search(allowed, "Dennis", model="placement", field="child")
    assert dennis == f"Dennis Dahl · f. {demo['dennis'].date_of_birth.isoformat()}"


def test_unit_administrator_finds_only_people_and_children_of_own_units(personas, demo, namesake):
    solrosen = _admin_client(personas["other_staff"])  # Petra at Solrosens förskola
    assert _search(solrosen, "Anna") == ["Anna Andersson · anna.andersson@example.se · f. 1986-04-12"]  # Alva's
    assert _search(solrosen, "Bo Berg") == []  # Bella's guardian, Norrskolan
    assert _search(solrosen, "Rektor") == []
    assert _search(solrosen, "anna.a@example.com") == []  # no relation to any unit
    assert _search(solrosen, personas["other_guardian"].personnummer) == []
    assert _search(solrosen, "Elias", model="placement", field="child") == []
    assert [t.split(" · ")[0] for t in _search(solrosen, "Alva", model="placement", field="child")] == [
        "Alva Andersson"
    ]

    principal = _admin_client(personas["principal"])  # Norrskolan and its fritidshem
    assert "Bo Berg · bo.berg@example.se · f. 1982-09-03" in _search(principal, "Berg")
    assert _search(principal, "Petra Pedagog") == []
    assert _search(principal, "Alva", model="placement", field="child") == []
    # A group of another unit cannot be picked either.
    assert _search(principal, "Solen", model="placement", field="group") == []


def test_autocomplete_runs_a_constant_number_of_queries(client_for, django_assert_num_queries, personas):
    admin = client_for("admin")
    _search(admin, "a")  # warm the session and permission caches

    def searched(term):
        # Session, count, the page (up to 20 people); the user's row comes from the cache. No
        # query for the labels of a superuser (they may see protected identities).
        with django_assert_num_queries(SESSION + 2):
            return _search(admin, term)

    assert len(searched("Anna Andersson")) == 1
    assert len(searched("a")) == 20


def test_protected_lookup_is_one_query_for_the_whole_page(personas, django_assert_num_queries):
    principal = _admin_client(personas["principal"])
    _search(principal, "a")

    def searched(term):
        # Session, the user's and their groups' permissions (a fresh request), count, the
        # page, and one query for which of the page's people are protected. The user's row
        # comes from the cache.
        with django_assert_num_queries(SESSION + 5):
            return _search(principal, term)

    assert len(searched("Dana")) == 1
    assert len(searched("a")) == 20
