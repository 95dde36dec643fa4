"""Views for plannings, weekly plans, assignments and eTests: decorators, one access call,
one service or selector call, render or redirect."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.forms import form_add_service_errors
from roster.dates import monday_of
from roster.policy import viewer_for
from school import services, uploads
from school import teaching_access as access
from school import teaching_selectors as selectors
from school.models import AssignmentAttachment, Attempt, PlanningAttachment, Question, SubmissionFile
from school.teaching_forms import (
    ITEM_ROWS,
    AssignmentForm,
    CommentForm,
    ETestForm,
    PlanningCopyForm,
    PlanningForm,
    QuestionForm,
    ReviewForm,
    SubmissionForm,
    WeeklyItemFormSet,
    WeeklyPlanForm,
)


def _files(request) -> list:
    return request.FILES.getlist("files")


def _week(value: str) -> date:
    try:
        return monday_of(date.fromisoformat(value))
    except ValueError as exc:
        raise Http404 from exc


# --- Plannings ------------------------------------------------------------------------------


@require_http_methods(["GET"])
def plannings(request):
    viewer = viewer_for(request)
    staff_ids = access.staff_group_ids(request.user) if (viewer.is_staff_member or viewer.is_superuser) else set()
    family_ids = access.family_group_ids(request)
    staff_list = selectors.plannings_for_groups(group_ids=staff_ids, include_drafts=True) if staff_ids else []
    family_list = (
        selectors.plannings_for_groups(group_ids=family_ids - staff_ids, include_drafts=False) if family_ids else []
    )
    groups = {p.group for p in staff_list + family_list}
    return render(
        request,
        "school/plannings.html",
        {
            "plannings": staff_list + family_list,
            "groups": sorted(groups, key=lambda g: g.name),
            "may_create": bool(staff_ids) and bool(access.writable_groups(request.user)),
        },
    )


@require_http_methods(["GET", "POST"])
def planning_create(request):
    groups = access.writable_groups(request.user)
    if not groups:
        raise PermissionDenied
    initial = {
        "start_week": monday_of(timezone.localdate()),
        "end_week": monday_of(timezone.localdate()) + timedelta(weeks=5),
    }
    requested = request.GET.get("grupp", "")
    if requested.isdigit():
        initial["group"] = int(requested)
    form = PlanningForm(request.POST or None, request.FILES or None, groups=groups, initial=initial)
    if request.method == "POST" and form.is_valid():
        group = next(g for g in groups if g.pk == form.cleaned_data["group"])
        try:
            planning = services.planning_save(
                role=access.group_role(request, group),
                user=request.user,
                **_planning_kwargs(form),
                files=_files(request),
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Planeringen är sparad som utkast."))
            return redirect("school:planning-detail", planning.pk)
    return render(request, "school/planning_form.html", {"form": form, "planning": None})


def _planning_kwargs(form) -> dict:
    d = form.cleaned_data
    return {
        "subject": d["subject"],
        "title": d["title"],
        "start_monday": d["start_week"],
        "end_monday": d["end_week"],
        "learn": d["learn"],
        "how": d["how"],
        "assessed": d["assessed"],
        "criteria": d["criteria"],
    }


@require_http_methods(["GET"])
def planning_detail(request, planning_id):
    planning, role = access.get_planning(request, planning_id)
    return render(
        request,
        "school/planning_detail.html",
        {"planning": planning, "role": role, "attachments": list(planning.attachments.all())},
    )


@require_http_methods(["GET", "POST"])
def planning_edit(request, planning_id):
    planning, role = access.get_planning(request, planning_id, write=True)
    initial = {
        "subject": planning.subject,
        "title": planning.title,
        "start_week": planning.start_monday,
        "end_week": planning.end_monday,
        "learn": planning.learn,
        "how": planning.how,
        "assessed": planning.assessed,
        "criteria": planning.criteria,
    }
    form = PlanningForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.planning_save(
                role=role, user=request.user, planning=planning, **_planning_kwargs(form), files=_files(request)
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Planeringen är sparad."))
            return redirect("school:planning-detail", planning.pk)
    return render(request, "school/planning_form.html", {"form": form, "planning": planning})


@require_http_methods(["POST"])
def planning_publish(request, planning_id):
    planning, role = access.get_planning(request, planning_id, write=True)
    try:
        services.planning_publish(role=role, planning=planning)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Planeringen är publicerad för elever och vårdnadshavare."))
    return redirect("school:planning-detail", planning.pk)


@require_http_methods(["GET", "POST"])
def planning_copy(request, planning_id):
    planning, role = access.get_planning(request, planning_id, write=True)
    groups = access.writable_groups(request.user)
    form = PlanningCopyForm(request.POST or None, groups=groups, initial={"group": planning.group_id})
    if request.method == "POST" and form.is_valid():
        target = next(g for g in groups if g.pk == form.cleaned_data["group"])
        try:
            copy = services.planning_copy(
                source_role=role,
                target_role=access.group_role(request, target),
                planning=planning,
                user=request.user,
                next_year=form.cleaned_data["where"] == "next_year",
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Kopian är sparad som utkast."))
            return redirect("school:planning-detail", copy.pk)
    return render(request, "school/planning_copy.html", {"form": form, "planning": planning})


@require_http_methods(["GET"])
def planning_attachment(request, attachment_id):
    attachment = PlanningAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    access.get_planning(request, attachment.planning_id)
    return uploads.serve(attachment)


@require_http_methods(["GET"])
def planning_overview(request, group_id):
    """The term at a glance: one bar per planning across the term's ISO weeks (SVG), and
    the same facts as a table."""
    role = access.get_group(request, group_id)
    term = selectors.term_for(timezone.localdate(), request.GET.get("termin"))
    if term is None:
        start = monday_of(timezone.localdate())
        end = start + timedelta(weeks=19)
    else:
        start, end = term.start_date, term.end_date
    items = selectors.plannings_for_groups(group_ids={role.group.pk}, include_drafts=role.is_staff_reader)
    shown = [p for p in items if p.end_monday >= monday_of(start) and p.start_monday <= end]
    chart = selectors.gantt_chart(plannings=shown, start=start, end=end)
    return render(
        request,
        "school/planning_overview.html",
        {"group": role.group, "term": term, "chart": chart, "plannings": shown, "role": role},
    )


# --- Weekly plans ---------------------------------------------------------------------------


@require_http_methods(["GET"])
def weekly(request):
    """Families: this and next week for each child's groups. Staff: their groups' weeks."""
    viewer = viewer_for(request)
    this_monday = monday_of(timezone.localdate())
    mondays = [this_monday, this_monday + timedelta(days=7)]
    family_ids = access.family_group_ids(request)
    plans = selectors.weekly_plans_for(group_ids=family_ids, mondays=mondays, visible_only=True) if family_ids else []
    staff_groups = access.writable_groups(request.user) if (viewer.is_staff_member or viewer.is_superuser) else []
    staff_plans = (
        selectors.weekly_plans_for(group_ids={g.pk for g in staff_groups}, mondays=mondays, visible_only=False)
        if staff_groups
        else []
    )
    by_key = {(p.group_id, p.monday): p for p in staff_plans}
    staff_rows = [
        {"group": g, "weeks": [{"monday": m, "plan": by_key.get((g.pk, m))} for m in mondays]} for g in staff_groups
    ]
    return render(
        request,
        "school/weekly.html",
        {
            "plans": [{"plan": p, "days": selectors.week_days(p)} for p in plans],
            "staff_rows": staff_rows,
            "now": timezone.now(),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def weekly_edit(request, group_id, monday):
    role = access.get_group(request, group_id)
    role.require_write()
    monday = _week(monday)
    plan = selectors.weekly_plans_for(group_ids={role.group.pk}, mondays=[monday], visible_only=False)
    plan = plan[0] if plan else None
    initial = {}
    item_initial = []
    if plan:
        initial = {
            "letter": plan.letter,
            "publish": "at" if plan.publish_at else "draft",
            "publish_at": plan.publish_at,
        }
        item_initial = [{"day": i.day.isoformat(), "kind": i.kind, "text": i.text} for i in plan.items.all()]
    form = WeeklyPlanForm(request.POST or None, initial=initial)
    formset = WeeklyItemFormSet(request.POST or None, initial=item_initial, monday=monday, prefix="items")
    formset.extra = ITEM_ROWS - len(item_initial) if len(item_initial) < ITEM_ROWS else 2
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        items = [(f.cleaned_data.get("day"), f.cleaned_data.get("kind"), f.cleaned_data.get("text")) for f in formset]
        choice = form.cleaned_data["publish"]
        publish_at = {"draft": None, "now": timezone.now(), "at": form.cleaned_data.get("publish_at")}[choice]
        try:
            services.weekly_plan_save(
                role=role,
                user=request.user,
                monday=monday,
                letter=form.cleaned_data["letter"],
                items=items,
                publish_at=publish_at,
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Veckoplanen är sparad."))
            return redirect("school:weekly")
    previous_exists = plan is None
    return render(
        request,
        "school/weekly_form.html",
        {
            "form": form,
            "formset": formset,
            "group": role.group,
            "monday": monday,
            "friday": monday + timedelta(days=4),
            "week": monday.isocalendar().week,
            "plan": plan,
            "may_copy": previous_exists,
        },
    )


@require_http_methods(["POST"])
def weekly_copy(request, group_id, monday):
    role = access.get_group(request, group_id)
    monday = _week(monday)
    try:
        services.weekly_plan_copy_previous(role=role, user=request.user, monday=monday)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Förra veckans plan är kopierad som utkast. Ändra datum och text innan du publicerar.")
        )
    return redirect("school:weekly-edit", role.group.pk, monday.isoformat())


# --- Assignments ----------------------------------------------------------------------------


@require_http_methods(["GET"])
def assignments(request):
    viewer = viewer_for(request)
    staff_groups = access.writable_groups(request.user) if (viewer.is_staff_member or viewer.is_superuser) else []
    staff_ids = access.staff_group_ids(request.user) if (viewer.is_staff_member or viewer.is_superuser) else set()
    family_ids = access.family_group_ids(request) - staff_ids
    staff_list = selectors.assignments_for_groups(group_ids=staff_ids, include_drafts=True) if staff_ids else []
    family_list = selectors.assignments_for_groups(group_ids=family_ids, include_drafts=False) if family_ids else []
    mine = []
    for assignment in family_list:
        children = [
            c
            for c in viewer.children
            if any(p.group_id == assignment.group_id for p in c.active_placements)
            and selectors.assignment_given_to(assignment, c.pk)
        ]
        if children:
            mine.append({"assignment": assignment, "children": children})
    return render(
        request,
        "school/assignments.html",
        {"staff_list": staff_list, "family_list": mine, "staff_groups": staff_groups, "now": timezone.now()},
    )


@require_http_methods(["GET", "POST"])
def assignment_create(request, group_id):
    role = access.get_group(request, group_id)
    role.require_write()
    pupils = selectors.group_pupils(group_id=role.group.pk)
    form = AssignmentForm(request.POST or None, request.FILES or None, pupils=pupils)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            assignment = services.assignment_save(
                role=role,
                user=request.user,
                title=d["title"],
                subject=d["subject"],
                instructions=d["instructions"],
                deadline=d["deadline"],
                allow_late=d["allow_late"],
                criteria=d["criteria"],
                guardians_may_write=d["guardians_may_write"],
                student_ids=d["students"],
                pupils=pupils,
                publish=d["publish"],
                files=_files(request),
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Uppgiften är sparad."))
            return redirect("school:assignment-detail", assignment.pk)
    return render(request, "school/assignment_form.html", {"form": form, "group": role.group})


@require_http_methods(["GET"])
def assignment_detail(request, assignment_id):
    assignment, role = access.get_assignment(request, assignment_id)
    context = {"assignment": assignment, "role": role, "attachments": list(assignment.attachments.all())}
    if role.is_staff_reader:
        context["rows"] = selectors.submissions_table(assignment=assignment)
    else:
        context["children"] = [c for c in role.family_children if selectors.assignment_given_to(assignment, c.pk)]
        if role.student_child is not None and selectors.assignment_given_to(assignment, role.student_child.pk):
            return _student_assignment(request, assignment, role, SubmissionForm())
    return render(request, "school/assignment_detail.html", context)


def _student_assignment(request, assignment, role, form, status=200):
    child = role.student_child
    submission = selectors.submission_for(assignment=assignment, child_id=child.pk)
    now = timezone.now()
    return render(
        request,
        "school/assignment_student.html",
        {
            "assignment": assignment,
            "role": role,
            "child": child,
            "attachments": list(assignment.attachments.all()),
            "submission": submission,
            "form": form,
            "comment_form": CommentForm(),
            "conversation": selectors.conversation_for(assignment=assignment, child_id=child.pk),
            "may_submit": (now <= assignment.deadline or assignment.allow_late)
            and not (submission and submission.status == submission.Status.DONE),
            "late_now": now > assignment.deadline,
        },
        status=status,
    )


@require_http_methods(["POST"])
def assignment_publish(request, assignment_id):
    assignment, role = access.get_assignment(request, assignment_id, write=True)
    try:
        services.assignment_publish(role=role, assignment=assignment)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Uppgiften är publicerad."))
    return redirect("school:assignment-detail", assignment.pk)


@require_http_methods(["GET"])
def assignment_attachment(request, attachment_id):
    attachment = AssignmentAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    access.get_assignment(request, attachment.assignment_id)
    return uploads.serve(attachment)


@require_http_methods(["POST"])
def submission_submit(request, assignment_id):
    assignment, role = access.get_assignment(request, assignment_id)
    access.require_student(role)
    form = SubmissionForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.submission_submit(
                role=role,
                assignment=assignment,
                user=request.user,
                text=form.cleaned_data["text"],
                files=_files(request),
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Din inlämning är sparad."))
            return redirect("school:assignment-detail", assignment.pk)
    return _student_assignment(request, assignment, role, form, status=400)


@require_http_methods(["GET"])
def submission_detail(request, assignment_id, child_id):
    assignment, role = access.get_assignment(request, assignment_id)
    child = access.assignment_child(assignment, role, child_id)
    return _submission_page(request, assignment, role, child, CommentForm(), ReviewForm())


def _submission_page(request, assignment, role, child, comment_form, review_form, status=200):
    return render(
        request,
        "school/submission_detail.html",
        {
            "assignment": assignment,
            "role": role,
            "child": child,
            "submission": selectors.submission_for(assignment=assignment, child_id=child.pk),
            "conversation": selectors.conversation_for(assignment=assignment, child_id=child.pk),
            "comment_form": comment_form,
            "review_form": review_form,
            "may_write": services.may_write_in_conversation(
                role=role, assignment=assignment, child=child, user=request.user
            ),
        },
        status=status,
    )


@require_http_methods(["POST"])
def submission_review(request, assignment_id, child_id):
    assignment, role = access.get_assignment(request, assignment_id, write=True)
    child = access.assignment_child(assignment, role, child_id)
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            services.submission_review(
                role=role,
                assignment=assignment,
                child=child,
                user=request.user,
                decision=form.cleaned_data["decision"],
                feedback=form.cleaned_data["feedback"],
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Bedömningen är sparad och eleven har fått besked."))
            return redirect("school:assignment-detail", assignment.pk)
    return _submission_page(request, assignment, role, child, CommentForm(), form, status=400)


@require_http_methods(["POST"])
def comment_add(request, assignment_id, child_id):
    assignment, role = access.get_assignment(request, assignment_id)
    child = access.assignment_child(assignment, role, child_id)
    if not services.may_write_in_conversation(role=role, assignment=assignment, child=child, user=request.user):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_add(
                role=role, assignment=assignment, child=child, user=request.user, text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Meddelandet är skickat."))
            if role.student_child is not None and role.student_child.pk == child.pk:
                return redirect("school:assignment-detail", assignment.pk)
            return redirect("school:submission-detail", assignment.pk, child.pk)
    return _submission_page(request, assignment, role, child, form, ReviewForm(), status=400)


@require_http_methods(["GET"])
def submission_file(request, file_id):
    stored = SubmissionFile.objects.select_related("submission").filter(pk=file_id).first()
    if stored is None:
        raise Http404
    assignment, role = access.get_assignment(request, stored.submission.assignment_id)
    access.assignment_child(assignment, role, stored.submission.child_id)
    return uploads.serve(stored)


# --- eTest ----------------------------------------------------------------------------------


@require_http_methods(["GET"])
def etests(request):
    """Students and staff. A guardian has no page here: the tests are the student's own."""
    viewer = viewer_for(request)
    student = viewer.student_child
    is_staff = viewer.is_staff_member or viewer.is_superuser
    if student is None and not is_staff:
        raise PermissionDenied
    staff_ids = access.staff_group_ids(request.user) if is_staff else set()
    staff_list = selectors.etests_for_groups(group_ids=staff_ids, include_drafts=True) if staff_ids else []
    student_data = {}
    if student is not None:
        student_data = selectors.etest_box_for_children(children=[student]).get(student.pk, {})
    return render(
        request,
        "school/etests.html",
        {
            "staff_list": staff_list,
            "staff_groups": access.writable_groups(request.user) if is_staff else [],
            "student_tests": student_data.get("tests", []),
        },
    )


@require_http_methods(["GET", "POST"])
def etest_create(request, group_id):
    role = access.get_group(request, group_id)
    role.require_write()
    form = ETestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            etest = services.etest_save(role=role, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Provet är skapat. Lägg till frågor."))
            return redirect("school:etest-detail", etest.pk)
    return render(request, "school/etest_form.html", {"form": form, "group": role.group})


@require_http_methods(["GET"])
def etest_detail(request, etest_id):
    etest, role = access.get_etest(request, etest_id)
    if role.is_staff_reader:
        return _etest_staff(request, etest, role, QuestionForm())
    child = role.student_child
    attempt = selectors.attempt_for(etest=etest, child_id=child.pk)
    context = {"etest": etest, "attempt": attempt, "now": timezone.now()}
    if attempt and etest.results_released_at:
        questions = selectors.questions_for(etest=etest)
        answers = selectors.answers_by_question(attempt=attempt)
        context["result"] = selectors.score(questions=questions, answers=answers)
        context["review"] = [(q, answers.get(q.pk)) for q in questions]
    return render(request, "school/etest_student.html", context)


def _etest_staff(request, etest, role, question_form, status=200):
    return render(
        request,
        "school/etest_detail.html",
        {
            "etest": etest,
            "role": role,
            "questions": selectors.questions_for(etest=etest),
            "rows": selectors.attempts_table(etest=etest),
            "question_form": question_form,
            "editable": role.may_write and not etest.attempts.exists(),
        },
        status=status,
    )


@require_http_methods(["POST"])
def question_add(request, etest_id):
    etest, role = access.get_etest(request, etest_id, write=True)
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            services.question_add(role=role, etest=etest, **form.service_kwargs())
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Frågan är tillagd."))
            return redirect("school:etest-detail", etest.pk)
    return _etest_staff(request, etest, role, form, status=400)


@require_http_methods(["POST"])
def etest_publish(request, etest_id):
    etest, role = access.get_etest(request, etest_id, write=True)
    try:
        services.etest_publish(role=role, etest=etest)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Provet är publicerat för eleverna."))
    return redirect("school:etest-detail", etest.pk)


@require_http_methods(["POST"])
def attempt_start(request, etest_id):
    etest, role = access.get_etest(request, etest_id)
    access.require_student(role)
    try:
        services.attempt_start(role=role, etest=etest, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("school:etest-detail", etest.pk)
    return redirect("school:etest-take", etest.pk)


def _running_attempt(request, etest_id):
    etest, role = access.get_etest(request, etest_id)
    child = access.require_student(role)
    attempt = selectors.attempt_for(etest=etest, child_id=child.pk)
    if attempt is None:
        raise Http404
    return etest, role, attempt


@require_http_methods(["GET"])
def etest_take(request, etest_id):
    etest, role, attempt = _running_attempt(request, etest_id)
    if attempt.is_finished():
        if attempt.submitted_at is None:
            messages.info(request, _("Tiden är ute. Svaren du sparade innan dess räknas."))
        else:
            messages.info(request, _("Provet är inlämnat."))
        return redirect("school:etest-detail", etest.pk)
    questions = selectors.questions_for(etest=etest)
    answers = selectors.answers_by_question(attempt=attempt)
    return render(
        request,
        "school/etest_take.html",
        {
            "etest": etest,
            "attempt": attempt,
            "questions": [(q, answers.get(q.pk)) for q in questions],
        },
    )


@require_http_methods(["POST"])
def answer_save(request, etest_id, question_id):
    """Autosave of one answer (small script in static/school/etest.js). JSON in, JSON out."""
    etest, role, attempt = _running_attempt(request, etest_id)
    question = Question.objects.filter(pk=question_id, etest=etest).prefetch_related("choices").first()
    if question is None:
        raise Http404
    try:
        services.answer_save(
            role=role,
            attempt=attempt,
            question=question,
            user=request.user,
            selected=request.POST.getlist("choice"),
            text=request.POST.get("text", ""),
        )
    except ValidationError as exc:
        return JsonResponse({"saved": False, "error": " ".join(exc.messages)}, status=409)
    return JsonResponse(
        {"saved": True, "message": _("Sparat %(time)s") % {"time": timezone.localtime().strftime("%H:%M:%S")}}
    )


@require_http_methods(["POST"])
def attempt_submit(request, etest_id):
    """Hand in. Without JavaScript the page posts every answer here: they are saved first,
    as long as the time is not up."""
    etest, role, attempt = _running_attempt(request, etest_id)
    if not attempt.is_finished():
        for question in selectors.questions_for(etest=etest):
            key = f"q{question.pk}"
            if key in request.POST or f"{key}_text" in request.POST:
                # An invalid choice is simply not saved; the rest is handed in.
                with contextlib.suppress(ValidationError):
                    services.answer_save(
                        role=role,
                        attempt=attempt,
                        question=question,
                        user=request.user,
                        selected=request.POST.getlist(key),
                        text=request.POST.get(f"{key}_text", ""),
                    )
    try:
        services.attempt_submit(role=role, attempt=attempt, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Provet är inlämnat. Du ser resultatet när läraren har släppt det."))
    return redirect("school:etest-detail", etest.pk)


@require_http_methods(["GET", "POST"])
def attempt_mark(request, etest_id, attempt_id):
    etest, role = access.get_etest(request, etest_id)
    if not role.is_staff_reader:
        raise Http404
    attempt = Attempt.objects.filter(pk=attempt_id, etest=etest).select_related("child").first()
    if attempt is None:
        raise Http404
    questions = selectors.questions_for(etest=etest)
    answers = selectors.answers_by_question(attempt=attempt)
    error = None
    if request.method == "POST":
        role.require_write()
        marks = {}
        for q in questions:
            if q.kind == Question.Kind.TEXT and f"points_{q.pk}" in request.POST:
                raw = request.POST.get(f"points_{q.pk}", "").strip()
                if raw == "":
                    continue
                marks[q.pk] = int(raw) if raw.isdigit() else -1
        try:
            services.answer_mark(role=role, etest=etest, attempt=attempt, marks=marks)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Rättningen är sparad."))
            return redirect("school:etest-detail", etest.pk)
    return render(
        request,
        "school/etest_mark.html",
        {
            "etest": etest,
            "attempt": attempt,
            "role": role,
            "review": [(q, answers.get(q.pk)) for q in questions],
            "result": selectors.score(questions=questions, answers=answers),
            "error": error,
        },
        status=400 if error else 200,
    )


@require_http_methods(["POST"])
def etest_release(request, etest_id):
    etest, role = access.get_etest(request, etest_id, write=True)
    try:
        services.etest_release(role=role, etest=etest)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Resultaten är släppta till eleverna."))
    return redirect("school:etest-detail", etest.pk)
