"""Messages between home and school: recipients decided by the roster, the other guardian
reading along unless "only this guardian", one conversation per family for a group send,
broadcasts without replies or recipient lists, checked attachments, read state."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from messaging import services
from messaging.models import Attachment, Conversation, Message, Participant
from notifications.models import Notification
from roster.models import Guardianship
from roster.policy import viewer_build
from tests.budgets import VIEWER
from tests.test_query_budgets import _cold


@pytest.fixture
def second_guardian(demo):
    """Elias's father, so there is an "other guardian" of the same child."""
    erik = User.objects.create_user("erik.andersson@example.se", first_name="Erik", last_name="Andersson")
    Guardianship.objects.create(
        guardian=erik, child=demo["elias"], start_date=timezone.localdate() - timedelta(days=30)
    )
    return erik


def _members(conversation) -> set[str]:
    return set(conversation.participants.values_list("user__email", flat=True))


@pytest.mark.django_db
def test_guardian_writes_to_the_mentor_and_the_other_guardian_reads_along(personas, demo, second_guardian):
    anna, mentor = personas["guardian"], personas["teacher"]
    conversation = services.conversation_start_by_family(
        viewer=viewer_build(anna), child_id=demo["elias"].pk, recipient_ids=[mentor.pk], subject="Utflykt", body="Hej"
    )
    assert _members(conversation) == {anna.email, second_guardian.email, mentor.email}
    # Everyone but the author is notified, with the child and a link to the conversation.
    told = Notification.objects.filter(kind="messaging.message", source_id=str(conversation.pk))
    assert {n.recipient_id for n in told} == {second_guardian.pk, mentor.pk}
    assert {n.child_id for n in told} == {demo["elias"].pk}
    assert all(n.url == conversation.get_absolute_url() for n in told)


@pytest.mark.django_db
def test_only_this_guardian_leaves_the_other_guardian_out(personas, demo, second_guardian, client_for):
    anna, mentor = personas["guardian"], personas["teacher"]
    conversation = services.conversation_start_by_family(
        viewer=viewer_build(anna),
        child_id=demo["elias"].pk,
        recipient_ids=[mentor.pk],
        subject="Privat",
        body="Bara till dig",
        only_this_guardian=True,
    )
    assert _members(conversation) == {anna.email, mentor.email}
    from django.test import Client

    erik = Client()
    erik.force_login(second_guardian)
    assert erik.get(conversation.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_staff_can_write_to_one_guardian_only(personas, demo, second_guardian):
    mentor = personas["teacher"]
    conversation = services.conversation_start_by_staff(
        viewer=viewer_build(mentor),
        child_id=demo["elias"].pk,
        subject="Till Erik",
        body="Hej Erik",
        to="guardian",
        guardian_id=second_guardian.pk,
    )
    assert _members(conversation) == {mentor.email, second_guardian.email}
    assert conversation.only_this_guardian


@pytest.mark.django_db
def test_recipients_outside_the_childs_staff_are_refused(personas, demo):
    """A crafted POST naming someone who does not work with the child changes nothing."""
    anna = personas["guardian"]
    before = Conversation.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.conversation_start_by_family(
            viewer=viewer_build(anna),
            child_id=demo["elias"].pk,
            recipient_ids=[personas["other_staff"].pk],  # Alva's pedagog, not Elias's
            subject="x",
            body="y",
        )
    assert "recipients" in exc.value.error_dict
    with pytest.raises(ValidationError):  # not her child
        services.conversation_start_by_family(
            viewer=viewer_build(anna),
            child_id=demo["bella"].pk,
            recipient_ids=[personas["teacher"].pk],
            subject="x",
            body="y",
        )
    assert Conversation.objects.count() == before


@pytest.mark.django_db
def test_start_form_bad_input_shows_a_swedish_error_and_stores_nothing(client_for, personas, demo):
    before = Conversation.objects.count()
    response = client_for("guardian").post(
        reverse("messaging:start"),
        {"child": demo["elias"].pk, "recipients": [personas["teacher"].pk], "subject": "", "body": "Hej"},
    )
    assert response.status_code == 200
    assert "Skriv ett ämne." in response.content.decode()
    assert Conversation.objects.count() == before


@pytest.mark.django_db
def test_the_recipient_list_offers_only_the_childs_staff(client_for, personas):
    response = client_for("guardian").get(reverse("messaging:start"))
    offered = {value for value, _label in response.context["form"].fields["recipients"].choices}
    assert personas["teacher"].pk in offered and personas["other_staff"].pk in offered  # 3B mentor, Solen pedagog
    assert personas["principal"].pk not in offered


@pytest.mark.django_db
def test_group_send_gives_each_family_its_own_conversation(personas, demo):
    mentor = personas["teacher"]
    conversations = services.group_send(
        viewer=viewer_build(mentor), group_id=demo["3b"].pk, subject="Föräldramöte", body="Välkomna"
    )
    assert len(conversations) >= 3
    for conversation in conversations:
        family = set(conversation.participants.filter(side=Participant.Side.FAMILY).values_list("user_id", flat=True))
        guardians = set(Guardianship.objects.filter(child=conversation.child).values_list("guardian_id", flat=True))
        assert family == guardians  # no other family in it
    # The protected child's family gets the message too, in a conversation of its own.
    dennis = [c for c in conversations if c.child_id == demo["dennis"].pk]
    assert len(dennis) == 1 and _members(dennis[0]) == {mentor.email, "dana.dahl@example.se"}


@pytest.mark.django_db
def test_broadcast_hides_the_recipients_and_takes_no_replies(personas, demo, client_for):
    mentor, anna = personas["teacher"], personas["guardian"]
    [broadcast] = services.group_send(
        viewer=viewer_build(mentor), group_id=demo["3b"].pk, subject="Info", body="Ingen svarar", broadcast=True
    )
    assert {"bo.berg@example.se", "dana.dahl@example.se", anna.email} <= _members(broadcast)
    page = client_for("guardian").get(broadcast.get_absolute_url())
    text = page.content.decode()
    assert page.status_code == 200
    assert "Bo Berg" not in text and "Dana" not in text and "Dahl" not in text
    assert "Lars" in text  # the sender
    response = client_for("guardian").post(reverse("messaging:reply", args=[broadcast.pk]), {"body": "Tack"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.message_reply(viewer=viewer_build(anna), conversation=broadcast, body="Tack")
    assert broadcast.messages.count() == 1


@pytest.mark.django_db
def test_group_send_refused_for_a_group_elsewhere(personas, demo):
    with pytest.raises(ValidationError):
        services.group_send(viewer=viewer_build(personas["other_staff"]), group_id=demo["3b"].pk, subject="x", body="y")


@pytest.mark.django_db
def test_reply_read_state_per_participant(personas, demo, client_for):
    anna, mentor = personas["guardian"], personas["teacher"]
    conversation = services.conversation_start_by_family(
        viewer=viewer_build(anna), child_id=demo["elias"].pk, recipient_ids=[mentor.pk], subject="Fråga", body="Hej"
    )
    teacher = client_for("teacher")
    inbox = teacher.get(reverse("messaging:inbox")).context["rows"]
    assert next(r for r in inbox if r.conversation.pk == conversation.pk).unread
    teacher.get(conversation.get_absolute_url())
    inbox = teacher.get(reverse("messaging:inbox")).context["rows"]
    assert not next(r for r in inbox if r.conversation.pk == conversation.pk).unread
    # Anna wrote it, so it is read for her; the mentor's reply makes it unread for her only.
    response = teacher.post(reverse("messaging:reply", args=[conversation.pk]), {"body": "Svar"})
    assert response.status_code == 302
    guardian = client_for("guardian")
    row = next(
        r for r in guardian.get(reverse("messaging:inbox")).context["rows"] if r.conversation.pk == conversation.pk
    )
    assert row.unread
    row = next(
        r for r in teacher.get(reverse("messaging:inbox")).context["rows"] if r.conversation.pk == conversation.pk
    )
    assert not row.unread


@pytest.mark.django_db
def test_reply_by_an_outsider_is_404_and_empty_reply_is_a_form_error(personas, demo, client_for):
    anna, mentor = personas["guardian"], personas["teacher"]
    conversation = services.conversation_start_by_family(
        viewer=viewer_build(anna), child_id=demo["elias"].pk, recipient_ids=[mentor.pk], subject="Fråga", body="Hej"
    )
    url = reverse("messaging:reply", args=[conversation.pk])
    assert client_for("other_guardian").post(url, {"body": "Hej"}).status_code == 404
    assert client_for("principal").post(url, {"body": "Hej"}).status_code == 404
    response = client_for("teacher").post(url, {"body": "  "})
    assert response.status_code == 400 and "Skriv ett meddelande." in response.content.decode()
    assert conversation.messages.count() == 1


@pytest.mark.django_db
def test_attachments_are_checked_by_content_and_size_and_served_only_to_participants(
    personas, demo, client_for, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    mentor = personas["teacher"]
    start = {"child": demo["elias"].pk, "recipients": [mentor.pk], "subject": "Intyg", "body": "Se bilaga"}
    before = Message.objects.count()
    fake = SimpleUploadedFile("intyg.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    response = client_for("guardian").post(reverse("messaging:start"), {**start, "files": [fake]})
    assert response.status_code == 200 and "inte en riktig .pdf-fil" in response.content.decode()
    program = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = client_for("guardian").post(reverse("messaging:start"), {**start, "files": [program]})
    assert "Filtypen .exe är inte tillåten" in response.content.decode()
    settings.SKOLHUBB_ATTACHMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("stor.pdf", b"%PDF-1.4" + b"0" * 2048, content_type="application/pdf")
    response = client_for("guardian").post(reverse("messaging:start"), {**start, "files": [big]})
    assert "för stor" in response.content.decode()
    assert Message.objects.count() == before
    good = SimpleUploadedFile("intyg.pdf", b"%PDF-1.4 ok", content_type="text/html")
    response = client_for("guardian").post(reverse("messaging:start"), {**start, "files": [good]})
    assert response.status_code == 302
    attachment = Attachment.objects.latest("pk")
    assert attachment.content_type == "application/pdf"  # from the checked type, not the browser's word
    url = reverse("messaging:attachment", args=[attachment.pk])
    response = client_for("teacher").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 ok"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert client_for("other_guardian").get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("extra", [0, 25])
def test_message_list_and_thread_queries_do_not_grow(extra, personas, demo, client_for, django_assert_num_queries):
    from django.conf import settings

    anna, mentor = personas["guardian"], personas["teacher"]
    conversation = None
    for i in range(1 + extra):
        conversation = services.conversation_start_by_family(
            viewer=viewer_build(anna),
            child_id=demo["elias"].pk,
            recipient_ids=[mentor.pk],
            subject=f"Ämne {i}",
            body="Hej",
        )
    for i in range(extra):
        services.message_reply(viewer=viewer_build(mentor), conversation=conversation, body=f"Svar {i}")
    session = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
    guardian = client_for("guardian")
    # session, user, the viewer, the conversations with their unread flags
    _cold()  # the viewer is cached between requests: measure it cold
    with django_assert_num_queries(session + 1 + VIEWER + 1):
        response = guardian.get(reverse("messaging:inbox"))
    assert len(response.context["rows"]) >= 1 + extra
    # session, user, the conversation and one's place in it, messages, attachments,
    # participants, mark read; the menu: the viewer
    _cold()  # the viewer is cached between requests: measure it cold
    with django_assert_num_queries(session + 1 + 1 + 3 + 1 + VIEWER):
        response = guardian.get(conversation.get_absolute_url())
    assert len(response.context["thread"].messages) == 1 + extra


@pytest.mark.django_db
def test_a_student_writes_to_their_teacher_without_the_guardians(personas, demo, second_guardian):
    student, mentor = personas["student"], personas["teacher"]
    conversation = services.conversation_start_by_family(
        viewer=viewer_build(student), child_id=demo["elias"].pk, recipient_ids=[mentor.pk], subject="Läxan", body="Hej!"
    )
    assert _members(conversation) == {student.email, mentor.email}
