"""eTest: the window and the time limit on the server, autosave, immutability, auto-marking,
teacher marking and release; only students take it; nobody sees another pupil's answers."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from school.models import Answer, Attempt, Choice, ETest, Question

pytestmark = pytest.mark.django_db


@pytest.fixture
def etest(demo, personas):
    now = timezone.now().replace(microsecond=0)
    test = ETest.objects.create(
        group=demo["3b"],
        title="Snabbtest",
        opens_at=now - timedelta(minutes=5),
        closes_at=now + timedelta(hours=2),
        time_limit_minutes=10,
        state=ETest.State.PUBLISHED,
        created_by=personas["teacher"],
    )
    single = Question.objects.create(etest=test, position=1, kind="single", text="2 + 2?", points=1)
    multi = Question.objects.create(etest=test, position=2, kind="multiple", text="Jämna tal?", points=2)
    text = Question.objects.create(etest=test, position=3, kind="text", text="Förklara.", points=3)
    Choice.objects.bulk_create(
        [
            Choice(question=single, text="3"),
            Choice(question=single, text="4", correct=True),
            Choice(question=multi, text="2", correct=True),
            Choice(question=multi, text="3"),
            Choice(question=multi, text="8", correct=True),
        ]
    )
    test.q = {"single": single, "multi": multi, "text": text}
    return test


def _choice(question, text):
    return question.choices.get(text=text).pk


def _save(client, etest, question, **data):
    return client.post(reverse("school:answer-save", args=[etest.pk, question.pk]), data)


def test_time_limit_is_enforced_on_the_server(client_for, etest, demo):
    student = client_for("student")
    started = timezone.now().replace(microsecond=0)
    with time_machine.travel(started, tick=False):
        assert student.post(reverse("school:attempt-start", args=[etest.pk])).status_code == 302
    attempt = Attempt.objects.get(etest=etest, child=demo["elias"])
    assert attempt.ends_at == started + timedelta(minutes=10)
    with time_machine.travel(attempt.ends_at - timedelta(seconds=1), tick=False):
        response = _save(student, etest, etest.q["single"], choice=_choice(etest.q["single"], "4"))
        assert response.status_code == 200 and response.json()["saved"]
    with time_machine.travel(attempt.ends_at, tick=False):
        response = _save(student, etest, etest.q["text"], text="För sent")
        assert response.status_code == 409
        assert response.json()["error"].startswith("Tiden är ute.")
        # The page no longer opens for writing; handing in keeps what was saved in time.
        assert student.get(reverse("school:etest-take", args=[etest.pk])).status_code == 302
        student.post(reverse("school:attempt-submit", args=[etest.pk]), {f"q{etest.q['text'].pk}_text": "Smyg"})
    attempt.refresh_from_db()
    assert attempt.submitted_at == attempt.ends_at
    assert list(Answer.objects.filter(attempt=attempt).values_list("question_id", flat=True)) == [etest.q["single"].pk]


def test_the_window_is_enforced_on_the_server(client_for, etest, demo):
    student = client_for("student")
    with time_machine.travel(etest.opens_at - timedelta(seconds=1), tick=False):
        response = student.post(reverse("school:attempt-start", args=[etest.pk]), follow=True)
        assert "Provet har inte öppnat än." in response.content.decode()
    with time_machine.travel(etest.closes_at, tick=False):
        response = student.post(reverse("school:attempt-start", args=[etest.pk]), follow=True)
        assert "Provet är stängt." in response.content.decode()
    assert not Attempt.objects.filter(etest=etest).exists()
    # Started 5 minutes before closing with a 10-minute limit: the window's end wins.
    with time_machine.travel(etest.closes_at - timedelta(minutes=5), tick=False):
        student.post(reverse("school:attempt-start", args=[etest.pk]))
    assert Attempt.objects.get(etest=etest).ends_at == etest.closes_at


def test_only_students_take_it_never_guardians(client_for, etest):
    start = reverse("school:attempt-start", args=[etest.pk])
    assert client_for("guardian").post(start).status_code == 404
    assert client_for("other_guardian").post(start).status_code == 404
    assert client_for("teacher").post(start).status_code == 403
    assert client_for("principal").post(start).status_code == 403
    assert client_for("other_staff").post(start).status_code == 404
    assert not Attempt.objects.filter(etest=etest).exists()
    assert "box--etest" not in client_for("guardian").get(reverse("hub:dashboard")).content.decode()
    assert "box--etest" in client_for("student").get(reverse("hub:dashboard")).content.decode()


def test_draft_test_is_invisible_to_students(client_for, etest):
    etest.state = ETest.State.DRAFT
    etest.save()
    assert client_for("student").get(reverse("school:etest-detail", args=[etest.pk])).status_code == 404
    assert "Snabbtest" not in client_for("student").get(reverse("school:etests")).content.decode()


def test_submitted_test_is_immutable_and_bad_answers_are_refused(client_for, etest, demo):
    student = client_for("student")
    student.post(reverse("school:attempt-start", args=[etest.pk]))
    single, multi = etest.q["single"], etest.q["multi"]
    both = [_choice(single, "3"), _choice(single, "4")]
    assert _save(student, etest, single, choice=both).json()["error"] == "Välj ett svar."
    assert _save(student, etest, single, choice=_choice(multi, "2")).json()["error"] == "Välj bland svarsalternativen."
    assert not Answer.objects.exists()
    assert _save(student, etest, multi, choice=[_choice(multi, "2"), _choice(multi, "8")]).status_code == 200
    assert student.post(reverse("school:attempt-submit", args=[etest.pk])).status_code == 302
    response = _save(student, etest, multi, choice=[_choice(multi, "3")])
    assert response.status_code == 409 and "inlämnat" in response.json()["error"]
    assert Answer.objects.get(question=multi).selected == sorted([_choice(multi, "2"), _choice(multi, "8")])
    response = student.post(reverse("school:attempt-submit", args=[etest.pk]), follow=True)
    assert "Provet är redan inlämnat." in response.content.decode()


def test_marking_release_and_nobody_sees_anothers_answers(client_for, etest, demo, personas):
    student = client_for("student")
    student.post(reverse("school:attempt-start", args=[etest.pk]))
    _save(student, etest, etest.q["single"], choice=_choice(etest.q["single"], "4"))
    _save(student, etest, etest.q["multi"], choice=[_choice(etest.q["multi"], "2")])  # half right: 0 points
    _save(student, etest, etest.q["text"], text="Fyra är två par.")
    # Bella's attempt (she has no account: the teacher's test data) is not Elias's business.
    now = timezone.now()
    bella = Attempt.objects.create(etest=etest, child=demo["bella"], started_at=now, ends_at=now, submitted_at=now)
    Answer.objects.create(attempt=bella, question=etest.q["text"], text="Bellas hemliga svar")
    mark_bella = reverse("school:attempt-mark", args=[etest.pk, bella.pk])
    assert student.get(mark_bella).status_code == 404
    assert client_for("guardian").get(mark_bella).status_code == 404

    teacher = client_for("teacher")
    release = reverse("school:etest-release", args=[etest.pk])
    response = teacher.post(release, follow=True)
    assert "1 elever skriver fortfarande provet." in response.content.decode()
    student.post(reverse("school:attempt-submit", args=[etest.pk]))
    response = teacher.post(release, follow=True)
    assert "Rätta alla textsvar innan du släpper resultaten." in response.content.decode()
    elias = Attempt.objects.get(etest=etest, child=demo["elias"])
    mark = reverse("school:attempt-mark", args=[etest.pk, elias.pk])
    response = teacher.post(mark, {f"points_{etest.q['text'].pk}": "9"})
    assert response.status_code == 400 and "Poängen för en fråga ska vara 0–3." in response.content.decode()
    assert client_for("principal").post(mark, {f"points_{etest.q['text'].pk}": "2"}).status_code == 403
    teacher.post(mark, {f"points_{etest.q['text'].pk}": "2"})
    teacher.post(reverse("school:attempt-mark", args=[etest.pk, bella.pk]), {f"points_{etest.q['text'].pk}": "1"})
    detail = reverse("school:etest-detail", args=[etest.pk])
    assert "Ditt resultat" not in student.get(detail).content.decode()
    teacher.post(release)
    etest.refresh_from_db()
    assert etest.results_released_at is not None
    from notifications.models import Notification

    notice = Notification.objects.get(kind="school.etest_results")  # Bella has no account: only Elias
    assert notice.recipient == personas["student"] and notice.title == "Resultatet på ”Snabbtest” är klart"
    page = student.get(detail)
    assert page.context["result"]["points"] == 1 + 0 + 2 and page.context["result"]["total"] == 6
    html = page.content.decode()
    assert "3 av 6 poäng" in html and "Bellas hemliga svar" not in html and "Fyra är två par." in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "single", "choice_0": "A", "choice_1": "B", "correct_0": "on", "correct_1": "on"},
            "Markera exakt ett rätt svar.",
        ),
        ({"kind": "multiple", "choice_0": "A", "choice_1": "B"}, "Markera minst ett rätt svar."),
        ({"kind": "single", "choice_0": "A", "correct_0": "on"}, "Skriv minst två svarsalternativ."),
        ({"kind": "text", "text": ""}, "Skriv frågan."),
        ({"kind": "text", "points": "0"}, "Poängen ska vara 1–100."),
    ],
)
def test_question_bad_input_changes_nothing(client_for, demo, personas, data, message):
    now = timezone.now()
    etest = ETest.objects.create(
        group=demo["3b"], title="Nytt", opens_at=now + timedelta(days=1), closes_at=now + timedelta(days=2)
    )
    response = client_for("teacher").post(
        reverse("school:question-add", args=[etest.pk]), {"text": "Fråga?", "points": "1", **data}
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not etest.questions.exists()
    publish = client_for("teacher").post(reverse("school:etest-publish", args=[etest.pk]), follow=True)
    assert "Lägg till minst en fråga innan du publicerar." in publish.content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Fyll i en rubrik."),
        ({"closes_at": "2026-11-01T10:00"}, "Provet måste stänga efter att det öppnar."),
        ({"time_limit_minutes": "0"}, "Tidsgränsen ska vara 1–600 minuter."),
        ({"opens_at": "måndag"}, "Ange datum och tid som ÅÅÅÅ-MM-DD TT:MM."),
    ],
)
def test_etest_bad_input_changes_nothing(client_for, demo, overrides, message):
    before = ETest.objects.count()
    data = {"title": "Prov", "opens_at": "2026-11-24T08:00", "closes_at": "2026-11-24T12:00", **overrides}
    response = client_for("teacher").post(reverse("school:etest-create", args=[demo["3b"].pk]), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert ETest.objects.count() == before


def test_questions_cannot_change_once_a_student_started(client_for, etest):
    client_for("student").post(reverse("school:attempt-start", args=[etest.pk]))
    response = client_for("teacher").post(
        reverse("school:question-add", args=[etest.pk]), {"kind": "text", "text": "Ny?", "points": "1"}
    )
    assert "Provet har redan påbörjats" in response.content.decode()
    assert etest.questions.count() == 3


def test_no_javascript_hand_in_saves_every_answer(client_for, etest):
    student = client_for("student")
    student.post(reverse("school:attempt-start", args=[etest.pk]))
    q = etest.q
    student.post(
        reverse("school:attempt-submit", args=[etest.pk]),
        {f"q{q['single'].pk}": _choice(q["single"], "4"), f"q{q['text'].pk}_text": "Svar utan skript"},
    )
    assert set(Answer.objects.values_list("text", flat=True)) == {"", "Svar utan skript"}
    assert Attempt.objects.get(etest=etest).submitted_at is not None
