from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from roster.models import Child, Guardianship, StaffDuty
from roster.policy import children_listable_to, children_visible_to, may_see_sensitive


@pytest.mark.django_db
def test_guardian_sees_own_children_only(personas, demo):
    visible = set(children_visible_to(personas["guardian"]).values_list("given_name", flat=True))
    assert visible == {"Alva", "Elias"}
    assert set(children_visible_to(personas["other_guardian"])) == {demo["bella"]}


@pytest.mark.django_db
def test_student_sees_themself(personas, demo):
    assert list(children_visible_to(personas["student"])) == [demo["elias"]]


@pytest.mark.django_db
def test_staff_see_children_placed_in_their_units(personas, demo):
    teacher = set(children_visible_to(personas["teacher"]))
    assert demo["elias"] in teacher and demo["bella"] in teacher
    assert demo["alva"] not in teacher
    preschool = set(children_visible_to(personas["other_staff"]))
    assert demo["alva"] in preschool and demo["elias"] not in preschool


@pytest.mark.django_db
def test_outsider_sees_nobody():
    nobody = User.objects.create_user("ingen@example.se")
    assert not children_visible_to(nobody).exists()


@pytest.mark.django_db
def test_ended_guardianship_takes_effect_on_the_next_request(client_for, demo):
    anna = client_for("guardian")
    url = reverse("hub:dashboard")
    assert "Alva Andersson" in anna.get(url).content.decode()
    Guardianship.objects.filter(child=demo["alva"]).update(end_date=timezone.localdate() - timedelta(days=1))
    assert "Alva Andersson" not in anna.get(url).content.decode()


@pytest.mark.django_db
def test_ended_duty_takes_effect_on_the_next_request(client_for, demo):
    teacher = client_for("teacher")
    news = demo["3b_news"]
    assert teacher.get(reverse("hub:news-edit", args=[news.pk])).status_code == 200
    StaffDuty.objects.filter(user__email="larare.3b@example.se").update(
        end_date=timezone.localdate() - timedelta(days=1)
    )
    assert teacher.get(reverse("hub:news-edit", args=[news.pk])).status_code == 404


@pytest.mark.django_db
def test_future_placement_is_not_active(personas, demo):
    from roster.models import Placement

    Placement.objects.filter(child=demo["alva"]).update(start_date=timezone.localdate() + timedelta(days=3))
    assert demo["alva"] not in set(children_visible_to(personas["other_staff"]))


@pytest.mark.django_db
def test_protected_identity_is_left_out_of_lists_for_other_families(personas, demo):
    dennis = demo["dennis"]
    assert dennis.protected_identity
    # Bo is not Dennis's guardian: never listed (and not visible at all).
    assert dennis not in set(children_listable_to(personas["other_guardian"]))
    # Dennis's own guardian and the staff of his unit still see him.
    dana = User.objects.get(email="dana.dahl@example.se")
    assert dennis in set(children_listable_to(dana))
    assert dennis in set(children_listable_to(personas["teacher"]))
    # Staff at another unit do not.
    assert dennis not in set(children_listable_to(personas["other_staff"]))


@pytest.mark.django_db
def test_sensitive_documents_only_for_mentors_and_principal(personas, demo):
    elias = demo["elias"]
    assert may_see_sensitive(personas["teacher"], elias)
    assert may_see_sensitive(personas["principal"], elias)
    assert not may_see_sensitive(personas["other_staff"], elias)
    fritids = User.objects.get(email="fritids@example.se")
    assert not may_see_sensitive(fritids, elias)  # staff of his fritids group, not a mentor or teacher


@pytest.mark.django_db
def test_child_lookup_404s_for_another_family(rf, personas, demo):
    from django.http import Http404

    from roster.access import get_child_for_viewer

    request = rf.get("/")
    request.user = personas["other_guardian"]
    with pytest.raises(Http404):
        get_child_for_viewer(request, demo["alva"].pk)
    request.user = personas["guardian"]
    child = get_child_for_viewer(request, demo["alva"].pk)
    assert child == demo["alva"] and child.active_placements[0].group.name == "Solen"
    assert Child.objects.visible_to(personas["guardian"]).count() == 2


@pytest.mark.django_db
def test_role_predicates_answer_from_one_place(personas, demo):
    from datetime import date

    from roster import policy
    from roster.models import Placement

    principal, teacher, anna, student, admin = (
        personas["principal"],
        personas["teacher"],
        personas["guardian"],
        personas["student"],
        personas["admin"],
    )
    norrskolan, solrosen = demo["norrskolan"], demo["solrosen"]
    assert policy.is_principal_of(principal, norrskolan.pk) and not policy.is_principal_of(principal, solrosen.pk)
    assert not policy.is_principal_of(teacher, norrskolan.pk) and policy.is_principal_of(admin, solrosen.pk)
    assert policy.viewer_build(principal).is_principal_of(norrskolan.pk)
    assert not policy.viewer_build(teacher).is_principal_of(norrskolan.pk)
    assert policy.is_own_child(anna, demo["elias"].pk) and not policy.is_own_child(anna, demo["bella"].pk)
    assert not policy.is_own_child(student, demo["elias"].pk)  # a student is not their own guardian
    assert policy.viewer_build(anna).is_own_child(demo["alva"])
    assert not policy.viewer_build(student).is_own_child(demo["elias"])
    assert policy.own_child_ids(anna, [demo["elias"].pk, demo["bella"].pk]) == {demo["elias"].pk}
    assert policy.is_staff_or_superuser(teacher) and policy.is_staff_or_superuser(admin)
    assert not policy.is_staff_or_superuser(anna) and not policy.viewer_build(anna).is_staff_or_superuser
    # Placements overlapping a range: an open-ended one counts, one that ended before does not.
    elias = demo["elias"]
    first = elias.placements.order_by("start_date").first()
    ended = Placement.objects.create(child=elias, unit=solrosen, start_date=date(2019, 8, 1), end_date=date(2020, 6, 1))
    found = set(policy.placements_overlapping(first.start_date, first.start_date).filter(child=elias))
    assert first in found and ended not in found
    assert ended in set(policy.placements_overlapping(date(2020, 5, 1), date(2020, 5, 2)))


def test_get_child_for_viewer_takes_own_children_from_the_viewer_and_asks_the_policy_for_others(demo, personas):
    """A guardian's own child comes from the request's viewer (no query once it is built),
    with the same active placements as the policy's query gives; staff get the children of
    their units through children_visible_to; an outsider gets 404."""
    from django.db import connection
    from django.http import Http404
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from roster.access import get_child_for_viewer
    from roster.models import Placement, active_q
    from roster.policy import viewer_for

    def request_for(user):
        request = RequestFactory().get("/")
        request.user = user
        return request

    child = demo["elias"]
    expected = sorted(Placement.objects.filter(active_q(), child=child).values_list("pk", "unit__name", "group__name"))

    guardian = request_for(personas["guardian"])
    viewer_for(guardian)
    with CaptureQueriesContext(connection) as queries:
        own = get_child_for_viewer(guardian, child.pk)
        placements = sorted((p.pk, p.unit.name, p.group.name if p.group_id else None) for p in own.active_placements)
    assert own.pk == child.pk and placements == expected
    assert len(queries) == 0

    teacher = request_for(personas["teacher"])
    seen = get_child_for_viewer(teacher, str(child.pk))
    assert seen.pk == child.pk
    assert sorted((p.pk, p.unit.name, p.group.name if p.group_id else None) for p in seen.active_placements) == expected

    with pytest.raises(Http404):
        get_child_for_viewer(request_for(personas["other_guardian"]), child.pk)


@pytest.mark.django_db
def test_a_viewers_units_come_with_their_companions(personas, demo):
    """What another app keeps beside a unit (roster.policy.UNIT_COMPANIONS; hub: which boxes
    a unit shows) comes with every unit of a viewer, through a pickled viewer too; a unit
    loaded some other way has none, and asking it is an error, not a query."""
    import pickle

    from hub.models import UnitBoxes
    from roster import policy
    from roster.models import Unit

    setting = UnitBoxes.objects.create(unit=demo["solrosen"], enabled=["information"])
    anna, principal = policy.viewer_build(personas["guardian"]), policy.viewer_build(personas["principal"])
    units = [p.unit for c in anna.children for p in c.active_placements] + principal.staff_units
    for unit in [*units, *pickle.loads(pickle.dumps(units))]:  # noqa: S301 - pickled right here
        expected = setting if unit.pk == demo["solrosen"].pk else None
        assert policy.unit_companion(unit, "hub_boxes") == expected
    with pytest.raises(LookupError):
        policy.unit_companion(Unit.objects.get(pk=demo["solrosen"].pk), "hub_boxes")
