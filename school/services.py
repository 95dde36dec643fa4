"""Writes for plannings, weekly plans, assignments and eTests.

Every service validates (ValidationError with a Swedish message, nothing written), writes,
tells the Hub cache what changed, and tells people through notifications.notify(). Callers hand in the
`GroupRole` from school.teaching_access, so a crafted request that skipped the view's check
is refused here too.
"""

from __future__ import annotations

import html
import re
from datetime import date, datetime, timedelta

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.services import notify
from roster.dates import monday_of
from roster.models import Child, Guardianship, active_q
from school import uploads
from school.models import (
    Answer,
    Assignment,
    AssignmentAttachment,
    AssignmentComment,
    Attempt,
    Choice,
    ETest,
    Planning,
    PlanningAttachment,
    Question,
    Submission,
    SubmissionFile,
    WeeklyItem,
    WeeklyPlan,
)
from school.teaching_access import GroupRole

try:
    from hub.cache import bump
except ImportError:  # the Hub box cache (branch scale) is not on main yet: nothing cached to bump

    def bump(**kwargs) -> None:
        return None


def _text(value: str, *, field: str, label: str, max_length: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Fyll i %(label)s.") % {"label": label}})
    if len(value) > max_length:
        raise ValidationError(
            {field: _("%(label)s får vara högst %(n)d tecken.") % {"label": label.capitalize(), "n": max_length}}
        )
    return value


# --- Plannings ------------------------------------------------------------------------------

MAX_PLANNING_WEEKS = 40


def _check_period(start_monday: date, end_monday: date) -> tuple[date, date]:
    if start_monday is None or end_monday is None:
        raise ValidationError({"start_week": _("Välj första och sista vecka.")})
    start_monday, end_monday = monday_of(start_monday), monday_of(end_monday)
    if end_monday < start_monday:
        raise ValidationError({"end_week": _("Sista veckan kan inte vara före den första.")})
    if (end_monday - start_monday).days // 7 + 1 > MAX_PLANNING_WEEKS:
        raise ValidationError({"end_week": _("En planering får vara högst %(n)d veckor.") % {"n": MAX_PLANNING_WEEKS}})
    return start_monday, end_monday


@transaction.atomic
def planning_save(
    *,
    role: GroupRole,
    user,
    subject,
    title: str,
    start_monday: date,
    end_monday: date,
    learn: str = "",
    how: str = "",
    assessed: str = "",
    criteria: str = "",
    files=(),
    planning: Planning | None = None,
) -> Planning:
    role.require_write()
    if planning is not None and planning.group_id != role.group.pk:
        raise PermissionDenied
    title = _text(title, field="title", label=_("en rubrik"), max_length=200)
    start_monday, end_monday = _check_period(start_monday, end_monday)
    if subject is None:
        raise ValidationError({"subject": _("Välj ett ämne.")})
    checked = uploads.check_uploads(files)
    fields = {
        "subject": subject,
        "title": title,
        "start_monday": start_monday,
        "end_monday": end_monday,
        "learn": (learn or "").strip(),
        "how": (how or "").strip(),
        "assessed": (assessed or "").strip(),
        "criteria": (criteria or "").strip(),
    }
    if planning is None:
        planning = Planning.objects.create(group=role.group, created_by=user, **fields)
    else:
        for name, value in fields.items():
            setattr(planning, name, value)
        planning.save()
    uploads.store_files(PlanningAttachment, parent_field="planning", parent=planning, files=checked)
    bump(group_ids=[role.group.pk])
    return planning


@transaction.atomic
def planning_publish(*, role: GroupRole, planning: Planning) -> Planning:
    role.require_write()
    if planning.is_published:
        raise ValidationError(_("Planeringen är redan publicerad."))
    planning.state = Planning.State.PUBLISHED
    planning.published_at = timezone.now()
    planning.save(update_fields=["state", "published_at", "updated_at"])
    bump(group_ids=[planning.group_id])
    return planning


def next_year_monday(monday: date) -> date:
    """The Monday of the same ISO week number a year later (week 53 becomes week 52)."""
    year, week, _day = monday.isocalendar()
    weeks_next_year = date(year + 1, 12, 28).isocalendar().week
    return date.fromisocalendar(year + 1, min(week, weeks_next_year), 1)


@transaction.atomic
def planning_copy(
    *, source_role: GroupRole, target_role: GroupRole, planning: Planning, user, next_year: bool
) -> Planning:
    """A draft copy in the target group (the same or another), optionally a year later."""
    source_role.require_write()
    target_role.require_write()
    start, end = planning.start_monday, planning.end_monday
    if next_year:
        start, end = next_year_monday(start), next_year_monday(end)
    elif target_role.group.pk == planning.group_id:
        raise ValidationError({"group": _("Välj en annan grupp, eller kopiera till nästa läsår.")})
    copy = Planning.objects.create(
        group=target_role.group,
        subject_id=planning.subject_id,
        title=planning.title,
        start_monday=start,
        end_monday=end,
        learn=planning.learn,
        how=planning.how,
        assessed=planning.assessed,
        criteria=planning.criteria,
        created_by=user,
    )
    PlanningAttachment.objects.bulk_create(
        [
            PlanningAttachment(planning=copy, file=a.file.name, name=a.name, size=a.size, content_type=a.content_type)
            for a in planning.attachments.all()
        ]
    )
    bump(group_ids=[target_role.group.pk])
    return copy


# --- Weekly plans ---------------------------------------------------------------------------

LETTER_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "h3", "h4", "a", "blockquote"}


def letter_sanitise(value: str) -> str:
    """The weekly letter as safe HTML: a small set of tags kept, everything else dropped
    (scripts, styles, event handlers, javascript: links). Plain text becomes paragraphs."""
    value = (value or "").strip()
    if not value:
        return ""
    has_tags = re.search(r"</?(?:" + "|".join(sorted(LETTER_TAGS)) + r")\b", value, flags=re.IGNORECASE)
    has_blocks = re.search(r"<(?:p|ul|ol|h3|h4|blockquote)\b", value, flags=re.IGNORECASE)
    if not has_blocks:
        # Text (perhaps with <strong> or a link): blank lines make paragraphs, newlines breaks.
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", value) if p.strip()]
        escape = (lambda text: text) if has_tags else html.escape  # nh3 cleans what is kept
        value = "".join("<p>" + escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return nh3.clean(
        value,
        tags=LETTER_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def _check_items(items: list[tuple[date, str, str]], monday: date) -> list[tuple[date, str, str]]:
    kinds = set(WeeklyItem.Kind.values)
    friday = monday + timedelta(days=4)
    result = []
    for day, kind, text in items:
        text = (text or "").strip()
        if not text:
            continue
        if kind not in kinds:
            raise ValidationError({"items": _("Välj en typ för varje punkt.")})
        if day is None or not (monday <= day <= friday):
            raise ValidationError({"items": _("Varje punkt måste ligga på en dag i veckan (måndag–fredag).")})
        if len(text) > 200:
            raise ValidationError({"items": _("En punkt får vara högst 200 tecken.")})
        result.append((day, kind, text))
    return result


@transaction.atomic
def weekly_plan_save(
    *,
    role: GroupRole,
    user,
    monday: date,
    letter: str,
    items: list[tuple[date, str, str]],
    publish_at: datetime | None,
) -> WeeklyPlan:
    """Create or replace the group's plan for the week. Without `publish_at` it is a draft."""
    role.require_write()
    monday = monday_of(monday)
    if len(letter or "") > 20000:
        raise ValidationError({"letter": _("Veckobrevet får vara högst 20 000 tecken.")})
    clean = letter_sanitise(letter)
    checked = _check_items(items, monday)
    if publish_at is not None and publish_at > timezone.make_aware(
        datetime.combine(monday + timedelta(days=7), datetime.min.time())
    ):
        raise ValidationError({"publish_at": _("Publicera senast när veckan är slut.")})
    if not clean and not checked:
        raise ValidationError(_("Skriv ett veckobrev eller lägg till minst en punkt."))
    plan, _created = WeeklyPlan.objects.update_or_create(
        group=role.group,
        monday=monday,
        defaults={"letter": clean, "publish_at": publish_at},
        create_defaults={"letter": clean, "publish_at": publish_at, "created_by": user},
    )
    plan.items.all().delete()
    WeeklyItem.objects.bulk_create([WeeklyItem(plan=plan, day=d, kind=k, text=t) for d, k, t in checked])
    bump(group_ids=[role.group.pk])
    return plan


@transaction.atomic
def weekly_plan_copy_previous(*, role: GroupRole, user, monday: date) -> WeeklyPlan:
    """This week's plan as a draft copy of last week's (letter and items, a week later)."""
    role.require_write()
    monday = monday_of(monday)
    previous = WeeklyPlan.objects.filter(group=role.group, monday=monday - timedelta(days=7)).first()
    if previous is None:
        raise ValidationError(_("Det finns ingen plan för förra veckan att kopiera."))
    if WeeklyPlan.objects.filter(group=role.group, monday=monday).exists():
        raise ValidationError(_("Veckan har redan en plan. Ändra den i stället."))
    plan = WeeklyPlan.objects.create(group=role.group, monday=monday, letter=previous.letter, created_by=user)
    WeeklyItem.objects.bulk_create(
        [
            WeeklyItem(plan=plan, day=item.day + timedelta(days=7), kind=item.kind, text=item.text)
            for item in previous.items.all()
        ]
    )
    bump(group_ids=[role.group.pk])
    return plan


# --- Assignments ----------------------------------------------------------------------------


@transaction.atomic
def assignment_save(
    *,
    role: GroupRole,
    user,
    title: str,
    instructions: str,
    deadline: datetime,
    subject=None,
    allow_late: bool = False,
    criteria: str = "",
    guardians_may_write: bool = False,
    student_ids: list[int] = (),
    pupils: list[Child] = (),
    publish: bool = False,
    files=(),
) -> Assignment:
    role.require_write()
    title = _text(title, field="title", label=_("en rubrik"), max_length=200)
    instructions = _text(instructions, field="instructions", label=_("instruktioner"), max_length=20000)
    if deadline is None:
        raise ValidationError({"deadline": _("Välj sista dag och tid för inlämning.")})
    if deadline <= timezone.now():
        raise ValidationError({"deadline": _("Sista inlämning måste ligga i framtiden.")})
    in_group = {c.pk for c in pupils}
    chosen = set(student_ids or [])
    if chosen - in_group:
        raise ValidationError({"students": _("Välj bara elever i gruppen.")})
    checked = uploads.check_uploads(files)
    assignment = Assignment.objects.create(
        group=role.group,
        subject=subject,
        title=title,
        instructions=instructions,
        deadline=deadline,
        allow_late=allow_late,
        criteria=(criteria or "").strip(),
        guardians_may_write=guardians_may_write,
        state=Assignment.State.PUBLISHED if publish else Assignment.State.DRAFT,
        created_by=user,
    )
    if chosen:
        assignment.students.set(chosen)
    uploads.store_files(AssignmentAttachment, parent_field="assignment", parent=assignment, files=checked)
    bump(group_ids=[role.group.pk])
    return assignment


@transaction.atomic
def assignment_publish(*, role: GroupRole, assignment: Assignment) -> Assignment:
    role.require_write()
    if assignment.is_published:
        raise ValidationError(_("Uppgiften är redan publicerad."))
    assignment.state = Assignment.State.PUBLISHED
    assignment.save(update_fields=["state", "updated_at"])
    bump(group_ids=[assignment.group_id])
    return assignment


@transaction.atomic
def submission_submit(*, role: GroupRole, assignment: Assignment, user, text: str, files=()) -> Submission:
    """The pupil hands in (or again). Until the deadline; after it only when late work is
    allowed, and then marked late. Work marked "klar" is closed."""
    child = role.student_child
    if child is None or child.user_id != user.pk:
        raise PermissionDenied
    if not assignment.is_published:
        raise PermissionDenied
    chosen = {c.pk for c in assignment.students.all()}
    if chosen and child.pk not in chosen:
        raise PermissionDenied
    now = timezone.now()
    late = now > assignment.deadline
    if late and not assignment.allow_late:
        raise ValidationError(_("Tiden för inlämning har gått ut."))
    text = (text or "").strip()
    if len(text) > 50000:
        raise ValidationError({"text": _("Texten får vara högst 50 000 tecken.")})
    checked = uploads.check_uploads(files)
    existing = Submission.objects.select_for_update().filter(assignment=assignment, child=child).first()
    if existing and existing.status == Submission.Status.DONE:
        raise ValidationError(_("Uppgiften är redan markerad som klar."))
    if not text and not checked and not (existing and existing.files.exists()):
        raise ValidationError({"text": _("Skriv en text eller bifoga en fil.")})
    if existing is None:
        submission = Submission.objects.create(
            assignment=assignment, child=child, text=text, submitted_at=now, is_late=late
        )
    else:
        submission = existing
        submission.text = text
        submission.submitted_at = now
        submission.is_late = late
        submission.times += 1
        submission.status = Submission.Status.SUBMITTED
        submission.save()
    uploads.store_files(SubmissionFile, parent_field="submission", parent=submission, files=checked)
    bump(child_ids=[child.pk])
    return submission


def _student_recipients(child: Child) -> list:
    """The pupil's own account; their guardians when the pupil has none."""
    if child.user_id:
        return [child.user]
    return [g.guardian for g in Guardianship.objects.filter(active_q(), child=child).select_related("guardian")]


@transaction.atomic
def submission_review(
    *, role: GroupRole, assignment: Assignment, child: Child, user, decision: str, feedback: str
) -> Submission:
    role.require_write()
    submission = Submission.objects.select_for_update().filter(assignment=assignment, child=child).first()
    if submission is None:
        raise ValidationError(_("Eleven har inte lämnat in något än."))
    feedback = (feedback or "").strip()
    if decision not in ("done", "return"):
        raise ValidationError({"decision": _("Välj Klar eller Återlämna.")})
    if decision == "return" and not feedback:
        raise ValidationError({"feedback": _("Skriv vad eleven ska komplettera.")})
    if len(feedback) > 5000:
        raise ValidationError({"feedback": _("Återkopplingen får vara högst 5 000 tecken.")})
    submission.status = Submission.Status.DONE if decision == "done" else Submission.Status.RETURNED
    submission.feedback = feedback
    submission.reviewed_by = user
    submission.reviewed_at = timezone.now()
    submission.save()
    title = (
        _("Uppgiften ”%(title)s” är klar")
        if submission.status == Submission.Status.DONE
        else _("Uppgiften ”%(title)s” behöver kompletteras")
    ) % {"title": assignment.title}
    notify(
        recipients=_student_recipients(child),
        kind="school.submission_reviewed",
        title=title,
        body=feedback,
        url=reverse("school:submission-detail", args=[assignment.pk, child.pk]),
        child=child,
        source=submission,
    )
    bump(child_ids=[child.pk])
    return submission


def may_write_in_conversation(*, role: GroupRole, assignment: Assignment, child: Child, user) -> bool:
    """No query. The group's staff and the pupil themself; guardians only when the teacher allows."""
    if role.may_write:
        return True
    if child.user_id == user.pk:
        return True
    return assignment.guardians_may_write and any(c.pk == child.pk for c in role.family_children)


@transaction.atomic
def comment_add(*, role: GroupRole, assignment: Assignment, child: Child, user, text: str) -> AssignmentComment:
    if not may_write_in_conversation(role=role, assignment=assignment, child=child, user=user):
        raise PermissionDenied
    text = _text(text, field="text", label=_("ett meddelande"), max_length=4000)
    comment = AssignmentComment.objects.create(assignment=assignment, child=child, author=user, text=text)
    bump(child_ids=[child.pk])
    return comment


# --- eTest ----------------------------------------------------------------------------------


def _check_window(opens_at, closes_at, time_limit):
    if opens_at is None or closes_at is None:
        raise ValidationError({"opens_at": _("Välj när provet öppnar och stänger.")})
    if closes_at <= opens_at:
        raise ValidationError({"closes_at": _("Provet måste stänga efter att det öppnar.")})
    if time_limit is not None and not 1 <= time_limit <= 600:
        raise ValidationError({"time_limit_minutes": _("Tidsgränsen ska vara 1–600 minuter.")})


@transaction.atomic
def etest_save(
    *,
    role: GroupRole,
    user,
    title: str,
    opens_at: datetime,
    closes_at: datetime,
    time_limit_minutes: int | None = None,
    instructions: str = "",
    subject=None,
) -> ETest:
    role.require_write()
    title = _text(title, field="title", label=_("en rubrik"), max_length=200)
    _check_window(opens_at, closes_at, time_limit_minutes)
    etest = ETest.objects.create(
        group=role.group,
        subject=subject,
        title=title,
        instructions=(instructions or "").strip(),
        opens_at=opens_at,
        closes_at=closes_at,
        time_limit_minutes=time_limit_minutes,
        created_by=user,
    )
    bump(group_ids=[role.group.pk])
    return etest


@transaction.atomic
def question_add(
    *, role: GroupRole, etest: ETest, kind: str, text: str, points: int, choices: list[str], correct: list[int]
) -> Question:
    """`correct` holds indexes into `choices` (blank choices are dropped before indexing)."""
    role.require_write()
    if etest.attempts.exists():
        raise ValidationError(_("Provet har redan påbörjats av elever och kan inte ändras."))
    if kind not in Question.Kind.values:
        raise ValidationError({"kind": _("Välj en frågetyp.")})
    text = _text(text, field="text", label=_("frågan"), max_length=2000)
    if points is None or not 1 <= points <= 100:
        raise ValidationError({"points": _("Poängen ska vara 1–100.")})
    options = [(i, (c or "").strip()) for i, c in enumerate(choices)]
    options = [(i, c) for i, c in options if c]
    correct_set = {i for i, _c in options if i in set(correct)}
    if kind != Question.Kind.TEXT:
        if len(options) < 2:
            raise ValidationError({"choices": _("Skriv minst två svarsalternativ.")})
        if any(len(c) > 200 for _i, c in options):
            raise ValidationError({"choices": _("Ett svarsalternativ får vara högst 200 tecken.")})
        if kind == Question.Kind.SINGLE and len(correct_set) != 1:
            raise ValidationError({"correct": _("Markera exakt ett rätt svar.")})
        if kind == Question.Kind.MULTIPLE and not correct_set:
            raise ValidationError({"correct": _("Markera minst ett rätt svar.")})
    position = etest.questions.count() + 1
    question = Question.objects.create(etest=etest, kind=kind, text=text, points=points, position=position)
    if kind != Question.Kind.TEXT:
        Choice.objects.bulk_create([Choice(question=question, text=c, correct=i in correct_set) for i, c in options])
    return question


@transaction.atomic
def etest_publish(*, role: GroupRole, etest: ETest) -> ETest:
    role.require_write()
    if etest.is_published:
        raise ValidationError(_("Provet är redan publicerat."))
    if not etest.questions.exists():
        raise ValidationError(_("Lägg till minst en fråga innan du publicerar."))
    etest.state = ETest.State.PUBLISHED
    etest.save(update_fields=["state", "updated_at"])
    bump(group_ids=[etest.group_id])
    return etest


def _student_of(role: GroupRole, user) -> Child:
    child = role.student_child
    if child is None or child.user_id != user.pk:
        raise PermissionDenied  # only the pupil takes a test: never a guardian, never staff
    return child


@transaction.atomic
def attempt_start(*, role: GroupRole, etest: ETest, user) -> Attempt:
    """Start (or resume) the pupil's attempt. The end is fixed now, on the server."""
    child = _student_of(role, user)
    existing = Attempt.objects.filter(etest=etest, child=child).first()
    if existing is not None:
        return existing
    now = timezone.now()
    if not etest.is_published or now < etest.opens_at:
        raise ValidationError(_("Provet har inte öppnat än."))
    if now >= etest.closes_at:
        raise ValidationError(_("Provet är stängt."))
    ends_at = etest.closes_at
    if etest.time_limit_minutes:
        ends_at = min(ends_at, now + timedelta(minutes=etest.time_limit_minutes))
    attempt = Attempt.objects.create(etest=etest, child=child, started_at=now, ends_at=ends_at)
    bump(child_ids=[child.pk])
    return attempt


def _require_running(attempt: Attempt) -> None:
    if attempt.submitted_at is not None:
        raise ValidationError(_("Provet är inlämnat och kan inte ändras."))
    if timezone.now() >= attempt.ends_at:
        raise ValidationError(_("Tiden är ute. Svaren du sparade innan dess är kvar."))


@transaction.atomic
def answer_save(*, role: GroupRole, attempt: Attempt, question: Question, user, selected=(), text: str = "") -> Answer:
    child = _student_of(role, user)
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.child_id != child.pk or question.etest_id != attempt.etest_id:
        raise PermissionDenied
    _require_running(attempt)
    values: dict = {"selected": [], "text": ""}
    if question.kind == Question.Kind.TEXT:
        text = (text or "").strip()
        if len(text) > 5000:
            raise ValidationError({"text": _("Svaret får vara högst 5 000 tecken.")})
        values["text"] = text
    else:
        try:
            ids = sorted({int(s) for s in selected})
        except (TypeError, ValueError) as exc:
            raise ValidationError(_("Välj bland svarsalternativen.")) from exc
        allowed = set(question.choices.values_list("pk", flat=True))
        if set(ids) - allowed:
            raise ValidationError(_("Välj bland svarsalternativen."))
        if question.kind == Question.Kind.SINGLE and len(ids) > 1:
            raise ValidationError(_("Välj ett svar."))
        values["selected"] = ids
    answer, _created = Answer.objects.update_or_create(attempt=attempt, question=question, defaults=values)
    return answer


@transaction.atomic
def attempt_submit(*, role: GroupRole, attempt: Attempt, user) -> Attempt:
    child = _student_of(role, user)
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.child_id != child.pk:
        raise PermissionDenied
    if attempt.submitted_at is not None:
        raise ValidationError(_("Provet är redan inlämnat."))
    # After the time is up the answers saved in time are what counts: hand them in as they are.
    attempt.submitted_at = min(timezone.now(), attempt.ends_at)
    attempt.save(update_fields=["submitted_at", "updated_at"])
    bump(child_ids=[child.pk])
    return attempt


@transaction.atomic
def answer_mark(*, role: GroupRole, etest: ETest, attempt: Attempt, marks: dict[int, int]) -> None:
    """The teacher's points for text answers: {question_id: points}."""
    role.require_write()
    if attempt.etest_id != etest.pk:
        raise PermissionDenied
    if not attempt.is_finished():
        raise ValidationError(_("Eleven skriver fortfarande provet."))
    questions = {q.pk: q for q in etest.questions.filter(kind=Question.Kind.TEXT)}
    for question_id, points in marks.items():
        question = questions.get(question_id)
        if question is None:
            raise ValidationError(_("Bara textfrågor rättas för hand."))
        if points is None or not 0 <= points <= question.points:
            raise ValidationError(_("Poängen för en fråga ska vara 0–%(max)d.") % {"max": question.points})
    for question_id, points in marks.items():
        Answer.objects.update_or_create(
            attempt=attempt, question_id=question_id, defaults={"points": points}, create_defaults={"points": points}
        )


@transaction.atomic
def etest_release(*, role: GroupRole, etest: ETest) -> ETest:
    role.require_write()
    if etest.results_released_at is not None:
        raise ValidationError(_("Resultaten är redan släppta."))
    now = timezone.now()
    attempts = list(etest.attempts.all())
    running = [a for a in attempts if not a.is_finished(now)]
    if running:
        raise ValidationError(
            _("%(n)d elever skriver fortfarande provet. Släpp resultaten när de är klara.") % {"n": len(running)}
        )
    unmarked = Answer.objects.filter(
        attempt__etest=etest, question__kind=Question.Kind.TEXT, points__isnull=True
    ).exclude(text="")
    if unmarked.exists():
        raise ValidationError(_("Rätta alla textsvar innan du släpper resultaten."))
    etest.results_released_at = now
    etest.save(update_fields=["results_released_at", "updated_at"])
    students = [a.child.user for a in etest.attempts.select_related("child__user") if a.child.user_id]
    notify(
        recipients=students,
        kind="school.etest_results",
        title=_("Resultatet på ”%(title)s” är klart") % {"title": etest.title},
        url=reverse("school:etest-detail", args=[etest.pk]),
        source=etest,
        dedupe_key=f"etest-results:{etest.pk}",
    )
    bump(child_ids=[a.child_id for a in attempts], group_ids=[etest.group_id])
    return etest
