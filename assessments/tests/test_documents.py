"""IUP, åtgärdsprogram, extra anpassningar and notes: who writes, who reads, what the family
sees, and bad input."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from assessments.models import ActionProgramme, ExtraAdaptation, Iup, Note, ProgrammeView, Status
from roster.models import Child


@pytest.fixture
def programme(db):
    return ActionProgramme.objects.select_related("child").get()


@pytest.fixture
def pupil_guardian(programme):
    return programme.child.guardianships.first().guardian


def test_iup_is_drafted_by_the_mentor_and_shared_on_publish(client_for, eid_client_for, demo):
    elias = demo["elias"]
    Iup.objects.filter(child=elias).delete()  # the demo's published IUP for this term
    teacher = client_for("teacher")
    url = reverse("assessments:iup-edit", args=[elias.pk])
    form = teacher.get(url).context["form"]
    written = {f.name: "" for f in form.written_fields()}
    first = next(iter(written))
    # Publishing needs goals and at least one written assessment: form error, nothing saved.
    response = teacher.post(url, {"goals": "", "publish": "on"})
    assert response.status_code == 200 and response.context["form"].errors
    assert not Iup.objects.filter(child=elias).exists()
    assert teacher.post(url, {"goals": "Läsa mer", first: "Läser bra."}).status_code == 302
    iup = Iup.objects.get(child=elias)
    assert iup.status == Status.DRAFT
    guardian = eid_client_for("guardian")
    assert guardian.get(reverse("assessments:child-iup", args=[elias.pk])).context["iups"] == []
    assert teacher.post(url, {"goals": "Läsa mer", first: "Läser bra.", "publish": "on"}).status_code == 302
    iups = guardian.get(reverse("assessments:child-iup", args=[elias.pk])).context["iups"]
    assert [i.pk for i in iups] == [iup.pk] and iups[0].written.all()[0].text == "Läser bra."


def test_iup_only_in_years_1_to_5(client_for, demo):
    casper = Child.objects.get(given_name="Casper", family_name="Carlsson")
    assert (
        client_for("principal").post(reverse("assessments:iup-edit", args=[casper.pk]), {"goals": "x"}).status_code
        == 200
    )
    assert not Iup.objects.filter(child=casper).exists()


def test_programme_drafted_decided_and_answered(client_for, eid_client_for, demo):
    elias = demo["elias"]
    teacher = client_for("teacher")
    url = reverse("assessments:programme-create", args=[elias.pk])
    today = timezone.localdate()
    data = {
        "needs": "Stöd i läsning",
        "measures": "Läsgrupp",
        "responsibilities": "Mentor: läsgrupp",
        "follow_up_on": (today + timedelta(days=30)).isoformat(),
        "evaluate_on": (today + timedelta(days=10)).isoformat(),
    }
    assert teacher.post(url, data).status_code == 200  # evaluation before follow-up
    assert not ActionProgramme.objects.filter(child=elias).exists()
    data["evaluate_on"] = (today + timedelta(days=60)).isoformat()
    assert teacher.post(url, data).status_code == 302
    programme = ActionProgramme.objects.get(child=elias)
    # A draft is not the family's yet.
    guardian = eid_client_for("guardian")
    support = reverse("assessments:child-support", args=[elias.pk])
    assert guardian.get(support).context["programmes"] == []
    decide = reverse("assessments:programme-decide", args=[programme.pk])
    assert teacher.post(decide).status_code == 403
    assert guardian.post(decide).status_code == 403
    assert client_for("principal").post(decide).status_code == 302
    programme.refresh_from_db()
    assert programme.decided_by.email == "rektor@example.se" and programme.decided_at is not None
    assert "överklagas" in programme.appeal_text
    page = guardian.get(support)
    assert [p.pk for p in page.context["programmes"]] == [programme.pk]
    assert "Så överklagar du" in page.content.decode()
    view = reverse("assessments:programme-view", args=[programme.pk])
    assert guardian.post(view, {"text": ""}).status_code == 302
    assert not ProgrammeView.objects.exists()
    assert guardian.post(view, {"text": "Vi läser hemma varje kväll."}).status_code == 302
    assert eid_client_for("student").post(view, {"text": "Jag vill ha lugnare plats."}).status_code == 302
    assert teacher.post(view, {"text": "x"}).status_code == 403
    assert eid_client_for("other_guardian").post(view, {"text": "x"}).status_code == 404
    assert ProgrammeView.objects.filter(programme=programme).count() == 2


def test_adaptations_are_documented_without_a_decision(client_for, eid_client_for, demo):
    elias = demo["elias"]
    url = reverse("assessments:child-support", args=[elias.pk])
    teacher = client_for("teacher")
    count = ExtraAdaptation.objects.filter(child=elias).count()
    assert teacher.post(url, {"description": ""}).status_code == 200
    assert teacher.post(url, {"description": "Hörselkåpor vid eget arbete"}).status_code == 302
    assert ExtraAdaptation.objects.filter(child=elias).count() == count + 1
    assert eid_client_for("guardian").post(url, {"description": "x"}).status_code == 403
    texts = [a.description for a in eid_client_for("guardian").get(url).context["adaptations"]]
    assert "Hörselkåpor vid eget arbete" in texts


def test_notes_internal_or_shared(client_for, eid_client_for, demo):
    elias = demo["elias"]
    url = reverse("assessments:child-notes", args=[elias.pk])
    teacher = client_for("teacher")
    assert teacher.post(url, {"text": "  "}).status_code == 200
    assert teacher.post(url, {"text": "Intern iakttagelse"}).status_code == 302
    assert teacher.post(url, {"text": "Delad hälsning", "shared": "on"}).status_code == 302
    family = [n.text for n in eid_client_for("guardian").get(url).context["notes"]]
    assert "Delad hälsning" in family and "Intern iakttagelse" not in family
    assert "Elias höll en fin redovisning om igelkottar för klassen idag." in family  # the demo's shared note
    staff = [n.text for n in client_for("principal").get(url).context["notes"]]
    assert "Intern iakttagelse" in staff
    assert eid_client_for("student").post(url, {"text": "x"}).status_code == 403
    assert Note.objects.filter(child=elias, text="x").count() == 0
    assert AuditEvent.objects.filter(object_type="assessments.note", action="create", child_id=elias.pk).count() == 2


def test_the_demo_programme_is_visible_to_that_family_only(
    eid_client_for, programme, pupil_guardian, demo, eid_user_client
):
    url = reverse("assessments:child-support", args=[programme.child_id])
    assert [p.pk for p in eid_user_client(pupil_guardian).get(url).context["programmes"]] == [programme.pk]
    assert eid_client_for("guardian").get(url).status_code == 404


def test_earlier_terms_iup_is_kept(client_for, eid_client_for, demo):
    from roster.models import Term

    elias = demo["elias"]
    spring = Term.objects.filter(end_date__lt=timezone.localdate()).order_by("-start_date").first()  # last spring
    old = Iup.objects.create(child=elias, term=spring, goals="Vårens mål", status=Status.PUBLISHED)
    teacher = client_for("teacher")
    url = reverse("assessments:iup-edit", args=[elias.pk])
    first = next(f.name for f in teacher.get(url).context["form"].written_fields())
    assert teacher.post(url, {"goals": "Höstens nya mål", first: "Bra", "publish": "on"}).status_code == 302
    old.refresh_from_db()
    assert old.goals == "Vårens mål"
    iups = eid_client_for("guardian").get(reverse("assessments:child-iup", args=[elias.pk])).context["iups"]
    assert [i.goals for i in iups] == ["Höstens nya mål", "Vårens mål"]
