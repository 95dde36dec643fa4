"""The teacher's assessment matrix: one request saves the whole matrix, history is kept,
bad input changes nothing, and the save costs the same for 5 and 30 pupils."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from assessments.models import Assessment, Criterion, Level
from assessments.tests.helpers import group_with_pupils
from school.models import Subject
from tests.test_query_budgets import SESSION


@pytest.fixture
def svenska(db):
    return Subject.objects.get(name="Svenska")


def _post_all(pupils, criteria, level, comment=""):
    data = {"assessed_on": timezone.localdate().isoformat()}
    for p in pupils:
        for c in criteria:
            data[f"l-{p.pk}-{c.pk}"] = level
            data[f"k-{p.pk}-{c.pk}"] = comment
    return data


def test_teacher_saves_the_matrix_and_history_is_kept(client_for, demo, svenska):
    teacher = client_for("teacher")
    url = reverse("assessments:matrix", args=[demo["3b"].pk, svenska.pk])
    page = teacher.get(url)
    assert page.status_code == 200
    m = page.context["m"]
    assert [c.short_label for c in m.criteria] == ["Läser med flyt", "Skriver berättelser", "Samtalar"]
    elias = demo["elias"]
    first = m.criteria[0]
    before = Assessment.objects.filter(child=elias, criterion=first).count()
    data = {"assessed_on": timezone.localdate().isoformat(), f"l-{elias.pk}-{first.pk}": Level.RED}
    data[f"k-{elias.pk}-{first.pk}"] = "Tillbaka efter lång frånvaro."
    response = teacher.post(url, data)
    assert response.status_code == 302
    rows = list(Assessment.objects.filter(child=elias, criterion=first).order_by("-created_at", "-pk"))
    assert len(rows) == before + 1  # a new row; the earlier ones stay
    assert rows[0].level == Level.RED and rows[0].comment == "Tillbaka efter lång frånvaro."
    assert rows[1].level == Level.GREEN  # the demo's latest, kept as history
    # Posting the same again adds nothing (no duplicate history).
    teacher.post(url, data)
    assert Assessment.objects.filter(child=elias, criterion=first).count() == before + 1
    audit = AuditEvent.objects.filter(object_type="assessments.assessment", action="create", child_id=elias.pk).first()
    assert audit.details["role"] == "mentor"


def test_the_family_sees_the_change_with_a_text_label_and_trend(client_for, eid_client_for, demo, svenska):
    elias = demo["elias"]
    page = eid_client_for("guardian").get(reverse("assessments:child", args=[elias.pk]))
    html = page.content.decode()
    subjects = {s.name: s for s in page.context["subjects"]}
    assert set(subjects) == {"Svenska", "Matematik", "Naturorienterande ämnen"}
    assert subjects["Svenska"].trend == "up"
    # Colour is never the only signal: each level carries a text label and a symbol.
    assert 'class="level level--green"' in html and "Uppnått" in html
    assert 'class="level level--yellow"' in html and "På väg" in html
    assert "Utveckling: Framåt" in html
    assert "Elias läser nu längre kapitelböcker" in html  # the latest comment


def test_bad_input_changes_nothing(client_for, demo, svenska):
    teacher = client_for("teacher")
    url = reverse("assessments:matrix", args=[demo["3b"].pk, svenska.pk])
    elias, bella = demo["elias"], demo["bella"]  # Bella has no assessments yet
    criterion = Criterion.objects.filter(subject=svenska, stage=3).first()
    count = Assessment.objects.count()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    for data in (
        {"assessed_on": future, f"l-{elias.pk}-{criterion.pk}": "green"},
        {"assessed_on": timezone.localdate().isoformat(), f"l-{elias.pk}-{criterion.pk}": "purple"},
        {"assessed_on": timezone.localdate().isoformat(), f"k-{bella.pk}-{criterion.pk}": "kommentar utan nivå"},
        {"assessed_on": "inte ett datum", f"l-{elias.pk}-{criterion.pk}": "green"},
    ):
        response = teacher.post(url, data)
        assert response.status_code == 200
        assert response.context["form"].errors
    assert Assessment.objects.count() == count


def test_a_crafted_cell_for_another_group_is_refused(rf, personas, demo, svenska):
    """The service checks pupils and criteria itself, whatever the form sent."""
    from django.core.exceptions import ValidationError

    from assessments import services
    from assessments.access import GroupAccess

    bella_not_in = demo["alva"]  # a preschool child, not in 3B
    criterion = Criterion.objects.filter(subject=svenska, stage=3).first()
    request = rf.post("/")
    request.user = personas["teacher"]
    request.session = {}
    with pytest.raises(ValidationError):
        services.assessment_matrix_save(
            group_access=GroupAccess(group=demo["3b"], role="mentor"),
            subject=svenska,
            cells={(bella_not_in.pk, criterion.pk): ("green", "")},
            assessed_on=timezone.localdate(),
            request=request,
        )
    stage6 = Criterion.objects.filter(subject=svenska, stage=6).first()
    with pytest.raises(ValidationError):
        services.assessment_matrix_save(
            group_access=GroupAccess(group=demo["3b"], role="mentor"),
            subject=svenska,
            cells={(demo["elias"].pk, stage6.pk): ("green", "")},
            assessed_on=timezone.localdate(),
            request=request,
        )


def test_wrong_method(client_for, demo, svenska):
    url = reverse("assessments:matrix", args=[demo["3b"].pk, svenska.pk])
    assert client_for("teacher").put(url).status_code == 405


@pytest.mark.parametrize("size", [5, 30])
def test_matrix_save_query_budget(size, client_for, personas, demo, svenska, django_assert_num_queries):
    group, pupils = group_with_pupils(unit=demo["norrskolan"], grade="3", size=size, teacher=personas["teacher"])
    criteria = list(Criterion.objects.filter(subject=svenska, stage=3))
    teacher = client_for("teacher")
    url = reverse("assessments:matrix", args=[group.pk, svenska.pk])
    teacher.get(url)
    data = _post_all(pupils, criteria, Level.YELLOW, "Bra start")
    # session (database sessions only), the group with the viewer's roles, the subject; in
    # the service: pupils, criteria, current cells, savepoint, INSERT assessments, INSERT
    # audit rows, release; the Hub bump's lookup of the pupils' units (hub.cache.bump with
    # child ids). The user's row comes from the cache (the GET before stored it).
    with django_assert_num_queries(SESSION + 10):
        response = teacher.post(url, data)
    assert response.status_code == 302
    assert Assessment.objects.filter(child__in=pupils).count() == size * len(criteria)


def test_a_new_comment_alone_keeps_the_level_and_an_unchanged_form_saves_nothing(client_for, demo, svenska):
    teacher = client_for("teacher")
    url = reverse("assessments:matrix", args=[demo["3b"].pk, svenska.pk])
    elias = demo["elias"]
    first = Criterion.objects.filter(subject=svenska, stage=3).order_by("position").first()
    current = Assessment.objects.filter(child=elias, criterion=first).order_by("-created_at", "-pk").first()
    today = timezone.localdate().isoformat()
    count = Assessment.objects.count()
    # The form as shown: every cell's current comment, no level chosen.
    assert teacher.post(url, {"assessed_on": today, f"k-{elias.pk}-{first.pk}": current.comment}).status_code == 302
    assert Assessment.objects.count() == count
    teacher.post(url, {"assessed_on": today, f"k-{elias.pk}-{first.pk}": "Ny kommentar"})
    newest = Assessment.objects.filter(child=elias, criterion=first).order_by("-created_at", "-pk").first()
    assert (newest.level, newest.comment) == (current.level, "Ny kommentar")
