"""Grades: betygsdag (nothing before it, everything after), changes after publication
(principal only, with a reason, history kept, guardians told), the catalogue and its CSV,
and the guardian's grade page at a constant query count."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, User
from assessments.models import Grade, GradeCatalogue
from notifications.models import Notification, OutboxMessage
from roster.models import Child, Group, GroupStaff, Term
from school.models import Subject
from tests.budgets import VIEWER
from tests.test_query_budgets import SESSION, _cold


@pytest.fixture
def casper(db):
    return Child.objects.get(given_name="Casper", family_name="Carlsson")


@pytest.fixture
def carin(db):
    return User.objects.get(email="carin.carlsson@example.se")


@pytest.fixture
def term(db):
    today = timezone.localdate()
    return Term.objects.get(start_date__lte=today, end_date__gte=today)


@pytest.fixture
def catalogue(demo, term):
    return GradeCatalogue.objects.get(unit=demo["norrskolan"], term=term)


@pytest.fixture
def mentor_6a(db, demo):
    return GroupStaff.objects.get(group__name="6A", group__unit=demo["norrskolan"], role="mentor").user


def _grades_page(client, child):
    return client.get(reverse("assessments:child-grades", args=[child.pk]))


def _term_names(response):
    return [t["term"] for t in response.context["terms"]]


def test_publication_boundary_a_minute_before_and_after(
    eid_client_for, carin, casper, catalogue, term, eid_user_client
):
    publish_at = catalogue.publish_at
    assert publish_at > timezone.now()
    with time_machine.travel(publish_at - timedelta(minutes=1), tick=False):
        client = eid_user_client(carin)
        before = _grades_page(client, casper)
        assert before.status_code == 200
        assert _term_names(before) == []  # not a single grade before betygsdag
        assert "Inga publicerade betyg." in before.content.decode()
    with time_machine.travel(publish_at + timedelta(minutes=1), tick=False):
        after = _grades_page(client, casper)  # the same cached catalogue, read after betygsdag
        assert _term_names(after) == [str(term)]
        assert {g["subject"]: g["value"] for g in after.context["terms"][0]["grades"]}["Matematik"] == "B"


def test_the_student_sees_published_grades_of_earlier_terms_only(eid_client_for, demo, eid_user_client):
    seventh = Child.objects.filter(placements__group__name="7A", placements__group__unit=demo["norrskolan"]).order_by(
        "pk"
    )[0]
    guardian = seventh.guardianships.first().guardian
    response = _grades_page(eid_user_client(guardian), seventh)
    assert len(response.context["terms"]) == 1 and response.context["terms"][0]["term"].startswith("VT")


def test_change_after_publication_needs_the_principal_and_keeps_history(
    client_for, carin, casper, catalogue, mentor_6a, eid_client_for, demo, eid_user_client
):
    from django.test import Client

    svenska = Subject.objects.get(name="Svenska")
    group = Group.objects.get(name="6A", unit=demo["norrskolan"])
    url = reverse("assessments:grade-sheet", args=[group.pk, svenska.pk])
    with time_machine.travel(catalogue.publish_at + timedelta(hours=1), tick=False):
        teacher = Client()
        teacher.force_login(mentor_6a)
        guardian = eid_user_client(carin)
        assert {g["subject"]: g["value"] for g in _grades_page(guardian, casper).context["terms"][0]["grades"]}[
            "Svenska"
        ] == "C"
        # The teacher may not change a published grade.
        assert teacher.post(url, {f"g-{casper.pk}": "B"}).status_code == 403
        principal = client_for("principal")
        # Without a reason: a form error, nothing changed.
        response = principal.post(url, {f"g-{casper.pk}": "B"})
        assert response.status_code == 200 and response.context["has_errors"]
        assert "Ange skälet" in response.content.decode()
        assert Grade.objects.filter(child=casper, subject=svenska).count() == 1
        response = principal.post(url, {f"g-{casper.pk}": "B", f"r-{casper.pk}": "Rättat efter omprövning."})
        assert response.status_code == 302
        history = list(Grade.objects.filter(child=casper, subject=svenska).order_by("-created_at", "-pk"))
        assert [g.value for g in history] == ["B", "C"]
        assert history[0].change_reason == "Rättat efter omprövning."
        assert history[0].set_by.email == "rektor@example.se"
        mail = OutboxMessage.objects.latest("pk")
        assert mail.to == [carin.email] and "Casper" in mail.subject
        note = Notification.objects.get(recipient=carin, kind="assessments.grade_changed")
        assert note.child_id == casper.pk and note.url == reverse("assessments:child-grades", args=[casper.pk])
        audit = AuditEvent.objects.filter(object_type="assessments.grade", action="change", child_id=casper.pk)
        assert audit.exists()
        # The cached catalogue was dropped: Carin sees the new grade at once, marked as changed.
        grades = {g["subject"]: g for g in _grades_page(guardian, casper).context["terms"][0]["grades"]}
        assert grades["Svenska"]["value"] == "B" and grades["Svenska"]["changed_at"] is not None
        staff_view = principal.get(reverse("assessments:child-grades", args=[casper.pk]))
        assert "Rättat efter omprövning." in staff_view.content.decode()


def test_teacher_sets_grades_and_a_dash_needs_a_note(client_for, casper, catalogue, mentor_6a, demo):
    from django.test import Client

    GradeCatalogue.objects.filter(pk=catalogue.pk).update(locked_at=None, publish_at=None)
    bild = Subject.objects.get(name="Bild")
    group = Group.objects.get(name="6A", unit=demo["norrskolan"])
    url = reverse("assessments:grade-sheet", args=[group.pk, bild.pk])
    teacher = Client()
    teacher.force_login(mentor_6a)
    response = teacher.post(url, {f"g-{casper.pk}": "-"})
    assert response.status_code == 200
    assert "Skriv en anteckning" in response.content.decode()
    assert not Grade.objects.filter(child=casper, subject=bild).exists()
    assert teacher.post(url, {f"g-{casper.pk}": "Q"}).status_code == 200
    assert not Grade.objects.filter(child=casper, subject=bild).exists()
    response = teacher.post(url, {f"g-{casper.pk}": "-", f"n-{casper.pk}": "Underlag saknas."})
    assert response.status_code == 302
    assert Grade.objects.get(child=casper, subject=bild).value == "-"
    # Locked: the teacher can no longer change anything; the principal can.
    GradeCatalogue.objects.filter(pk=catalogue.pk).update(locked_at=timezone.now())
    assert teacher.post(url, {f"g-{casper.pk}": "E"}).status_code == 403
    assert client_for("principal").post(url, {f"g-{casper.pk}": "E"}).status_code == 302
    assert Grade.objects.filter(child=casper, subject=bild).count() == 2


def test_grades_only_from_year_6(client_for, demo):
    url = reverse("assessments:grade-sheet", args=[demo["3b"].pk, Subject.objects.get(name="Svenska").pk])
    assert client_for("teacher").get(url).status_code == 404


def test_principal_locks_and_sets_betygsdag(client_for, demo, term, catalogue):
    GradeCatalogue.objects.filter(pk=catalogue.pk).update(locked_at=None, publish_at=None)
    principal = client_for("principal")
    url = reverse("assessments:catalogue", args=[demo["norrskolan"].pk]) + f"?termin={term.pk}"
    day = (timezone.localdate() + timedelta(days=20)).isoformat()
    # Betygsdag without a lock, half a date, or in the past: form errors, nothing changed.
    for data in (
        {"publish_date": day, "publish_time": "15:00"},
        {"locked": "on", "publish_date": day},
        {"locked": "on", "publish_date": "2020-01-01", "publish_time": "15:00"},
    ):
        response = principal.post(url, data)
        assert response.status_code == 200 and response.context["form"].errors, data
    catalogue.refresh_from_db()
    assert catalogue.publish_at is None and catalogue.locked_at is None
    assert principal.post(url, {"locked": "on", "publish_date": day, "publish_time": "15:00"}).status_code == 302
    catalogue.refresh_from_db()
    assert catalogue.locked_at is not None
    assert timezone.localtime(catalogue.publish_at).strftime("%Y-%m-%d %H:%M") == f"{day} 15:00"
    assert catalogue.locked_by.email == "rektor@example.se"
    with time_machine.travel(catalogue.publish_at + timedelta(minutes=1), tick=False):
        principal = client_for("principal")
        response = principal.post(url, {"publish_date": day, "publish_time": "16:00"})
        assert response.status_code == 200 and response.context["form"].errors  # published: fixed


def test_catalogue_csv_is_well_formed_and_formula_safe(client_for, demo, term, casper):
    svenska = Subject.objects.get(name="Svenska")
    Grade.objects.create(
        child=casper, subject=svenska, term=term, unit=demo["norrskolan"], value="-", note='=HYPERLINK("x")'
    )
    response = client_for("principal").get(
        reverse("assessments:catalogue-csv", args=[demo["norrskolan"].pk]) + f"?termin={term.pk}"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    year = term.start_date.year
    assert response["Content-Disposition"] == f'attachment; filename="betygskatalog-norrskolan-HT-{year}.csv"'
    text = response.content.decode("utf-8-sig")
    line = next(r for r in text.splitlines() if r.startswith("Carlsson;Casper") and ";Svenska;" in r)
    assert ';–;"\'=HYPERLINK(""x"")";' in line  # no formula, and "–" is not turned into text either
    assert AuditEvent.objects.filter(object_type="assessments.grade", action="read", child_id=casper.pk).exists()


def test_content_disposition_with_a_unit_name_that_needs_escaping(client_for, demo, term):
    unit = demo["norrskolan"]
    unit.name = 'Åsa "skolan"; x'
    unit.save()
    response = client_for("principal").get(reverse("assessments:catalogue-csv", args=[unit.pk]))
    header = response["Content-Disposition"]
    assert header.startswith("attachment; filename=") and '"skolan"' not in header and ";" not in header[21:]


@pytest.mark.parametrize("subjects", [2, 9])
def test_guardian_grade_page_query_budget(
    subjects, eid_client_for, demo, term, django_assert_num_queries, eid_user_client
):
    from assessments.tests.helpers import group_with_pupils

    guardian = User.objects.create_user("budget.vh@example.se", "x")
    _group, (pupil,) = group_with_pupils(unit=demo["norrskolan"], grade="7", size=1, guardian=guardian, name="7Q")
    spring = Term.objects.filter(start_date__lt=term.start_date).first() or term
    names = list(Subject.objects.order_by("name")[:subjects])
    Grade.objects.bulk_create(
        [
            Grade(child=pupil, subject=s, term=t, unit=demo["norrskolan"], value="C")
            for s in names
            for t in (term, spring)
        ]
    )
    GradeCatalogue.objects.filter(unit=demo["norrskolan"]).update(publish_at=timezone.now() - timedelta(days=1))
    client = eid_user_client(guardian)
    url = reverse("assessments:child-grades", args=[pupil.pk])
    # Cold: session (database sessions only), user, the viewer, grades, catalogues, the
    # audit INSERT.
    _cold()  # the viewer is cached between requests: measure it cold
    with django_assert_num_queries(SESSION + 1 + VIEWER + 3):
        assert client.get(url).status_code == 200
    # Warm: the published catalogue comes from the cache.
    _cold()  # the viewer is cached between requests: measure it cold
    with django_assert_num_queries(SESSION + 1 + VIEWER + 1):
        response = client.get(url)
    assert sum(len(t["grades"]) for t in response.context["terms"]) == subjects * (1 if spring == term else 2)


def test_a_catalogue_change_reaches_a_cached_grade_page(
    client_for, eid_client_for, carin, casper, demo, term, eid_user_client
):
    """Carin's page is cached while the catalogue has no betygsdag; the principal sets one
    through the catalogue page; after it, Carin sees the grades (the cache was dropped)."""
    url = reverse("assessments:catalogue", args=[demo["norrskolan"].pk]) + f"?termin={term.pk}"
    principal = client_for("principal")
    response = principal.post(url, {})
    assert response.status_code == 302, response.context["form"].errors  # unlock, no betygsdag
    assert _term_names(_grades_page(eid_user_client(carin), casper)) == []  # cached: nothing
    soon = timezone.localtime() + timedelta(minutes=10)
    data = {"locked": "on", "publish_date": soon.date().isoformat(), "publish_time": soon.strftime("%H:%M")}
    assert principal.post(url, data).status_code == 302
    with time_machine.travel(soon + timedelta(minutes=1), tick=False):
        assert _term_names(_grades_page(eid_user_client(carin), casper)) == [str(term)]
