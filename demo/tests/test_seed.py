import pytest

from accounts.models import User
from demo.seed import DEMO_LOGINS, seed_demo
from roster.models import Child, Guardianship, Placement, Unit


@pytest.mark.django_db
def test_demo_accounts_exist_exactly(personas):
    emails = {email for email, _ in DEMO_LOGINS}
    users = User.objects.filter(email__in=emails)
    assert users.count() == 10
    assert all(u.check_password("skolhubb-demo") for u in users)
    assert User.objects.get(email="admin@example.se").is_superuser


@pytest.mark.django_db
def test_demo_families_have_the_promised_shape(demo):
    carin = User.objects.get(email="carin.carlsson@example.se")
    carin_units = set(
        Placement.objects.filter(child__guardianships__guardian=carin).values_list("unit__name", flat=True)
    )
    assert len(Child.objects.filter(guardianships__guardian=carin)) == 3
    assert carin_units == {"Solrosens förskola", "Norrskolan", "Norrskolans fritidshem"}
    elias_units = set(Placement.objects.filter(child=demo["elias"]).values_list("unit__name", "group__name"))
    assert elias_units == {("Norrskolan", "3B"), ("Norrskolans fritidshem", "Humlan")}
    assert demo["elias"].user.email == "elev.elias@example.se"
    assert demo["dennis"].protected_identity
    assert 140 <= Child.objects.count() <= 170


@pytest.mark.django_db
def test_seeding_twice_adds_nothing():
    counts = (User.objects.count(), Child.objects.count(), Guardianship.objects.count())
    assert seed_demo().created is False
    assert (User.objects.count(), Child.objects.count(), Guardianship.objects.count()) == counts


@pytest.mark.django_db
def test_large_municipality_has_the_same_shape():
    from roster.models import SchoolYear

    for model in (Child, User, Unit, SchoolYear):  # an empty municipality, rolled back after the test
        model.objects.all().delete()
    result = seed_demo(pupils=1200)
    assert result.created
    assert 1200 <= Child.objects.count() <= 1260
    assert Unit.objects.filter(kind="grundskola").count() >= 2
    assert not Child.objects.filter(guardianships__isnull=True).exists()
    assert not Child.objects.filter(placements__isnull=True).exists()
    assert User.objects.filter(email="anna.andersson@example.se").exists()
