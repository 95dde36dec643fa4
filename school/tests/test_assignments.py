"""Assignments: deadline boundaries on the server, resubmission, uploads, review with a
notice, the conversation, the submissions table's query budget."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from roster.models import Child, Group, GroupStaff, Placement
from school.models import Assignment, AssignmentComment, Submission, SubmissionFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }


@pytest.fixture
def assignment(demo, personas):
    return Assignment.objects.create(
        group=demo["3b"],
        title="Faktatext om vikingar",
        instructions="Skriv en faktatext.",
        # Within the session's lifetime (8 h), so the tests can travel past it logged in.
        deadline=timezone.now().replace(microsecond=0) + timedelta(hours=1),
        state=Assignment.State.PUBLISHED,
        created_by=personas["teacher"],
    )


def _submit(client, assignment, **data):
    return client.post(reverse("school:submission-submit", args=[assignment.pk]), {"text": "Mitt svar", **data})


def test_deadline_is_enforced_on_the_server(client_for, assignment, demo):
    student = client_for("student")
    with time_machine.travel(assignment.deadline, tick=False):
        assert _submit(student, assignment).status_code == 302  # exactly at the deadline: in time
    sub = Submission.objects.get(assignment=assignment, child=demo["elias"])
    assert not sub.is_late and sub.times == 1
    with time_machine.travel(assignment.deadline + timedelta(seconds=1), tick=False):
        response = _submit(student, assignment, text="För sent")
    assert response.status_code == 400
    assert "Tiden för inlämning har gått ut." in response.content.decode()
    sub.refresh_from_db()
    assert sub.text == "Mitt svar" and sub.times == 1  # nothing changed


def test_late_work_is_marked_late_when_allowed(client_for, assignment, demo):
    assignment.allow_late = True
    assignment.save()
    with time_machine.travel(assignment.deadline - timedelta(seconds=1), tick=False):
        _submit(client_for("student"), assignment)
    with time_machine.travel(assignment.deadline + timedelta(minutes=1), tick=False):
        assert _submit(client_for("student"), assignment, text="Andra versionen").status_code == 302
    sub = Submission.objects.get(assignment=assignment, child=demo["elias"])
    assert sub.is_late and sub.times == 2 and sub.text == "Andra versionen"


def test_only_the_student_hands_in(client_for, assignment):
    assert _submit(client_for("guardian"), assignment).status_code == 403
    assert _submit(client_for("teacher"), assignment).status_code == 403
    assert _submit(client_for("other_staff"), assignment).status_code == 404
    assert not Submission.objects.filter(assignment=assignment).exists()


def test_assignment_for_chosen_students_is_hidden_from_the_others(client_for, assignment, demo):
    assignment.students.set([demo["bella"]])
    url = reverse("school:assignment-detail", args=[assignment.pk])
    assert client_for("guardian").get(url).status_code == 404
    assert client_for("student").get(url).status_code == 404
    assert client_for("other_guardian").get(url).status_code == 200
    assert _submit(client_for("student"), assignment).status_code == 404


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    image = Image.new("RGB", (4, 4), "red")
    exif = Image.Exif()
    exif[0x010F] = "Kamera med GPS"
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_uploads_are_content_checked_size_limited_and_served_behind_the_check(
    client_for, assignment, demo, media, settings
):
    student = client_for("student")
    fake = SimpleUploadedFile("uppsats.docx", b"not a zip at all", content_type="application/msword")
    response = _submit(student, assignment, files=fake)
    assert "uppsats.docx är inte en riktig .docx-fil." in response.content.decode()
    settings.SKOLHUBB_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * 2000, content_type="application/pdf")
    response = _submit(student, assignment, files=big)
    # The platform's upload handler stops it while streaming (413); the service checks too.
    assert response.status_code == 413 and "stor.pdf är för stor" in response.content.decode()
    from django.core.exceptions import ValidationError

    from school.uploads import check_uploads

    with pytest.raises(ValidationError, match="stor.pdf är för stor"):
        check_uploads([SimpleUploadedFile("stor.pdf", b"%PDF-" + b"0" * 2000)])
    assert not Submission.objects.filter(assignment=assignment).exists()
    assert not SubmissionFile.objects.filter(submission__assignment=assignment).exists()

    settings.SKOLHUBB_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    photo = SimpleUploadedFile("bild.jpg", _png(), content_type="image/jpeg")
    assert _submit(student, assignment, files=photo).status_code == 302
    stored = SubmissionFile.objects.get()
    with stored.file.open("rb") as handle:
        data = handle.read()
    assert data.startswith(b"\xff\xd8") and b"Kamera med GPS" not in data  # re-encoded, EXIF gone
    url = reverse("school:submission-file", args=[stored.pk])
    served = client_for("teacher").get(url)
    b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg" and served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline") and served["Cache-Control"] == "private, no-store"
    for role, code in [
        ("student", 200),
        ("guardian", 200),
        ("teacher", 200),
        ("other_guardian", 404),
        ("other_staff", 404),
    ]:
        response = client_for(role).get(url)
        if response.streaming:
            b"".join(response.streaming_content)
        assert response.status_code == code, role


def test_teacher_returns_with_feedback_and_the_student_is_told(client_for, assignment, demo, personas):
    _submit(client_for("student"), assignment)
    url = reverse("school:submission-review", args=[assignment.pk, demo["elias"].pk])
    teacher = client_for("teacher")
    response = teacher.post(url, {"decision": "return", "feedback": ""})
    assert response.status_code == 400 and "Skriv vad eleven ska komplettera." in response.content.decode()
    assert not Notification.objects.filter(kind="school.submission_reviewed").exists()
    assert client_for("principal").post(url, {"decision": "done"}).status_code == 403
    assert client_for("guardian").post(url, {"decision": "done"}).status_code == 403
    assert teacher.post(url, {"decision": "return", "feedback": "Lägg till en källa."}).status_code == 302
    sub = Submission.objects.get(assignment=assignment, child=demo["elias"])
    assert sub.status == Submission.Status.RETURNED and sub.feedback == "Lägg till en källa."
    notice = Notification.objects.get(kind="school.submission_reviewed")
    assert notice.recipient == personas["student"] and notice.child_id == demo["elias"].pk
    assert notice.title == "Uppgiften ”Faktatext om vikingar” behöver kompletteras"
    assert notice.body == "Lägg till en källa." and notice.url.endswith(f"/elev/{demo['elias'].pk}/")
    # Returned work can be handed in again; work marked "klar" is closed.
    assert _submit(client_for("student"), assignment, text="Med källa").status_code == 302
    teacher.post(url, {"decision": "done", "feedback": ""})
    response = _submit(client_for("student"), assignment, text="Ändrat igen")
    assert "Uppgiften är redan markerad som klar." in response.content.decode()


def test_conversation_guardians_read_and_write_only_when_allowed(client_for, assignment, demo):
    url = reverse("school:comment-add", args=[assignment.pk, demo["elias"].pk])
    assert client_for("student").post(url, {"text": "Hur lång ska den vara?"}).status_code == 302
    assert client_for("teacher").post(url, {"text": "En sida."}).status_code == 302
    assert client_for("guardian").post(url, {"text": "Vi hjälps åt."}).status_code == 403
    assert client_for("other_guardian").post(url, {"text": "Hej"}).status_code == 404
    response = client_for("student").post(url, {"text": "   "})
    assert response.status_code == 400 and "Skriv ett meddelande." in response.content.decode()
    page = client_for("guardian").get(reverse("school:submission-detail", args=[assignment.pk, demo["elias"].pk]))
    assert "Hur lång ska den vara?" in page.content.decode() and "En sida." in page.content.decode()
    assignment.guardians_may_write = True
    assignment.save()
    assert client_for("guardian").post(url, {"text": "Vi hjälps åt."}).status_code == 302
    assert list(AssignmentComment.objects.filter(assignment=assignment).values_list("text", flat=True)) == [
        "Hur lång ska den vara?",
        "En sida.",
        "Vi hjälps åt.",
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Fyll i en rubrik."),
        ({"instructions": ""}, "Fyll i instruktioner."),
        ({"deadline": "2020-01-01T10:00"}, "Sista inlämning måste ligga i framtiden."),
        ({"deadline": "snart"}, "Ange datum och tid som ÅÅÅÅ-MM-DD TT:MM."),
        ({"students": ["999999"]}, "Välj bara elever i gruppen."),
    ],
)
def test_create_bad_input_changes_nothing(client_for, demo, overrides, message):
    before = Assignment.objects.count()
    data = {
        "title": "Ny uppgift",
        "instructions": "Gör så här",
        "deadline": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        **overrides,
    }
    response = client_for("teacher").post(reverse("school:assignment-create", args=[demo["3b"].pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert Assignment.objects.count() == before


def test_create_for_chosen_students_and_publish(client_for, demo):
    data = {
        "title": "Extra läsning",
        "instructions": "Läs boken",
        "deadline": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
        "students": [demo["bella"].pk],
    }
    response = client_for("teacher").post(reverse("school:assignment-create", args=[demo["3b"].pk]), data)
    assignment = Assignment.objects.get(title="Extra läsning")
    assert response.status_code == 302 and not assignment.is_published
    assert (
        client_for("other_guardian")
        .get(assignment_url := reverse("school:assignment-detail", args=[assignment.pk]))
        .status_code
        == 404
    )
    client_for("teacher").post(reverse("school:assignment-publish", args=[assignment.pk]))
    assert client_for("other_guardian").get(assignment_url).status_code == 200
    assert "Extra läsning" in client_for("other_guardian").get(reverse("hub:dashboard")).content.decode()
    assert "Extra läsning" not in client_for("guardian").get(reverse("hub:dashboard")).content.decode()


def _class_with(size: int, teacher, unit) -> tuple[Group, Assignment]:
    group = Group.objects.create(unit=unit, name=f"Budget {size}", kind=Group.Kind.KLASS, grade="4")
    today = timezone.localdate()
    GroupStaff.objects.create(user=teacher, group=group, role=GroupStaff.Role.TEACHER, start_date=today)
    children = Child.objects.bulk_create(
        Child(
            given_name=f"Elev{i:02d}",
            family_name=f"Budget{size}",
            personnummer=f"20{size:02d}{i:08d}",
            date_of_birth=today,
        )
        for i in range(size)
    )
    Placement.objects.bulk_create(Placement(child=c, unit=unit, group=group, start_date=today) for c in children)
    assignment = Assignment.objects.create(
        group=group, title="Budget", instructions="x", deadline=timezone.now() + timedelta(days=1), state="published"
    )
    now = timezone.now()
    subs = Submission.objects.bulk_create(
        Submission(assignment=assignment, child=c, text="svar", submitted_at=now, is_late=i % 3 == 0)
        for i, c in enumerate(children[: size // 2])
    )
    SubmissionFile.objects.bulk_create(SubmissionFile(submission=s, file="x.pdf", name="x.pdf") for s in subs)
    AssignmentComment.objects.bulk_create(
        AssignmentComment(assignment=assignment, child=c, author=teacher, text="Bra") for c in children[:3]
    )
    return group, assignment


# The teacher's submissions table: 1 session (database sessions only), 2 user, 3 own children,
# 4 duties (viewer, no placements to prefetch), 5 the assignment with group, unit, subject,
# 6 its chosen pupils, 7 the teacher's roles at the group, 8 attachments, 9 the pupils,
# 10 their submissions with a file count, 11 message counts per pupil.
SUBMISSIONS_TABLE = 11


@pytest.mark.parametrize("size", [5, 30])
def test_submissions_table_has_constant_queries(size, client_for, personas, demo, django_assert_num_queries):
    from django.conf import settings

    _group, assignment = _class_with(size, personas["teacher"], demo["norrskolan"])
    client = client_for("teacher")
    budget = SUBMISSIONS_TABLE - (0 if settings.SESSION_ENGINE.endswith(".db") else 1)
    with django_assert_num_queries(budget):
        response = client.get(reverse("school:assignment-detail", args=[assignment.pk]))
    rows = response.context["rows"]
    assert len(rows) == size
    assert sum(1 for r in rows if r["submission"]) == size // 2
    assert sum(r["messages"] for r in rows) == 3
    assert response.content.decode().count("tag--late") >= 1


def test_empty_hand_in_is_a_swedish_error_and_nothing_is_stored(client_for, assignment):
    response = _submit(client_for("student"), assignment, text="   ")
    assert response.status_code == 400 and "Skriv en text eller bifoga en fil." in response.content.decode()
    assert not Submission.objects.filter(assignment=assignment).exists()
    too_many = [SimpleUploadedFile(f"{i}.txt", b"hej", content_type="text/plain") for i in range(6)]
    response = _submit(client_for("student"), assignment, files=too_many)
    assert "Högst 5 filer åt gången." in response.content.decode()
    assert not Submission.objects.filter(assignment=assignment).exists()
