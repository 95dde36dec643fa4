"""Access matrix rows of school."""

from django.urls import reverse

from tests.matrix import LOGIN, logged_in, row

MATRIX = {
    "school:timetable": ("school:timetable", logged_in(200)),
    "school:child-timetable": ("elias_timetable", row(LOGIN, 200, 404, 200, 200, 404, 200, 200)),
}


def url_builders(demo) -> dict[str, str]:
    elias = demo["elias"]
    return {
        "elias_timetable": reverse("school:child-timetable", args=[elias.pk]),
    }


# --- Plannings, weekly plans, assignments, eTest (issue 13) --------------------------------
# Objects belong to 3B (Elias's and Bella's class): both families read what is published;
# per-pupil objects (Elias's submission, file, test attempt) are Anna's and Elias's only.
# The teacher (3B's mentor) writes; the principal reads and gets 403 on writes; the
# preschool pedagog is an outsider (404). eTests are never shown to guardians.
POST_ONLY = row(LOGIN, 405, 405, 405, 405, 405, 405, 405)
GROUP_READ = row(LOGIN, 200, 200, 200, 200, 404, 200, 200)
GROUP_WRITE = row(LOGIN, 403, 403, 403, 200, 404, 403, 200)
PUPIL_READ = row(LOGIN, 200, 404, 200, 200, 404, 200, 200)

MATRIX |= {
    "school:plannings": ("school:plannings", logged_in(200)),
    "school:planning-create": ("school:planning-create", row(LOGIN, 403, 403, 403, 200, 403, 403, 200)),
    "school:planning-detail": ("3b_planning", GROUP_READ),
    "school:planning-edit": ("3b_planning_edit", GROUP_WRITE),
    "school:planning-publish": ("3b_planning_publish", POST_ONLY),
    "school:planning-copy": ("3b_planning_copy", GROUP_WRITE),
    "school:planning-attachment": ("3b_planning_attachment", GROUP_READ),
    "school:planning-overview": ("3b_planning_overview", GROUP_READ),
    "school:weekly": ("school:weekly", logged_in(200)),
    "school:weekly-edit": ("3b_weekly_edit", GROUP_WRITE),
    "school:weekly-copy": ("3b_weekly_copy", POST_ONLY),
    "school:assignments": ("school:assignments", logged_in(200)),
    "school:assignment-create": ("3b_assignment_create", GROUP_WRITE),
    "school:assignment-detail": ("3b_assignment", GROUP_READ),
    "school:assignment-publish": ("3b_assignment_publish", POST_ONLY),
    "school:assignment-attachment": ("3b_assignment_attachment", GROUP_READ),
    "school:submission-submit": ("3b_submission_submit", POST_ONLY),
    "school:submission-detail": ("elias_submission", PUPIL_READ),
    "school:submission-review": ("elias_submission_review", POST_ONLY),
    "school:comment-add": ("elias_comment_add", POST_ONLY),
    "school:submission-file": ("elias_submission_file", PUPIL_READ),
    "school:etests": ("school:etests", row(LOGIN, 403, 403, 200, 200, 200, 200, 200)),
    "school:etest-create": ("3b_etest_create", GROUP_WRITE),
    "school:etest-detail": ("3b_etest", row(LOGIN, 404, 404, 200, 200, 404, 200, 200)),
    "school:question-add": ("3b_question_add", POST_ONLY),
    "school:etest-publish": ("3b_etest_publish", POST_ONLY),
    "school:attempt-start": ("3b_attempt_start", POST_ONLY),
    "school:etest-take": ("3b_etest_take", row(LOGIN, 404, 404, 200, 403, 404, 403, 403)),
    "school:answer-save": ("3b_answer_save", POST_ONLY),
    "school:attempt-submit": ("3b_attempt_submit", POST_ONLY),
    "school:attempt-mark": ("elias_attempt_mark", row(LOGIN, 404, 404, 404, 200, 404, 200, 200)),
    "school:etest-release": ("3b_etest_release", POST_ONLY),
}


def _teaching_urls(demo) -> dict[str, str]:
    from datetime import timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from roster.dates import monday_of
    from school.models import (
        Assignment,
        AssignmentAttachment,
        Attempt,
        ETest,
        Planning,
        PlanningAttachment,
        Submission,
        SubmissionFile,
    )

    group = demo["3b"]
    elias = demo["elias"]
    planning = Planning.objects.get(group=group, title="Vikingatiden")
    planning_file = PlanningAttachment.objects.create(
        planning=planning, file=SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan"), name="plan.pdf", size=13
    )
    assignment = Assignment.objects.get(group=group, title="Skriv om din favoritbok")
    assignment_file = AssignmentAttachment.objects.create(
        assignment=assignment, file=SimpleUploadedFile("mall.pdf", b"%PDF-1.4 mall"), name="mall.pdf", size=13
    )
    submission = Submission.objects.create(
        assignment=assignment, child=elias, text="Min bok", submitted_at=timezone.now()
    )
    submission_file = SubmissionFile.objects.create(
        submission=submission, file=SimpleUploadedFile("bok.pdf", b"%PDF-1.4 bok"), name="bok.pdf", size=12
    )
    etest = ETest.objects.get(group=group, title="Multiplikation 3B")
    now = timezone.now()
    attempt = Attempt.objects.create(etest=etest, child=elias, started_at=now, ends_at=now + timedelta(minutes=30))
    question = etest.questions.first()
    monday = monday_of(timezone.localdate()).isoformat()
    return {
        "3b_planning": reverse("school:planning-detail", args=[planning.pk]),
        "3b_planning_edit": reverse("school:planning-edit", args=[planning.pk]),
        "3b_planning_publish": reverse("school:planning-publish", args=[planning.pk]),
        "3b_planning_copy": reverse("school:planning-copy", args=[planning.pk]),
        "3b_planning_attachment": reverse("school:planning-attachment", args=[planning_file.pk]),
        "3b_planning_overview": reverse("school:planning-overview", args=[group.pk]),
        "3b_weekly_edit": reverse("school:weekly-edit", args=[group.pk, monday]),
        "3b_weekly_copy": reverse("school:weekly-copy", args=[group.pk, monday]),
        "3b_assignment_create": reverse("school:assignment-create", args=[group.pk]),
        "3b_assignment": reverse("school:assignment-detail", args=[assignment.pk]),
        "3b_assignment_publish": reverse("school:assignment-publish", args=[assignment.pk]),
        "3b_assignment_attachment": reverse("school:assignment-attachment", args=[assignment_file.pk]),
        "3b_submission_submit": reverse("school:submission-submit", args=[assignment.pk]),
        "elias_submission": reverse("school:submission-detail", args=[assignment.pk, elias.pk]),
        "elias_submission_review": reverse("school:submission-review", args=[assignment.pk, elias.pk]),
        "elias_comment_add": reverse("school:comment-add", args=[assignment.pk, elias.pk]),
        "elias_submission_file": reverse("school:submission-file", args=[submission_file.pk]),
        "3b_etest_create": reverse("school:etest-create", args=[group.pk]),
        "3b_etest": reverse("school:etest-detail", args=[etest.pk]),
        "3b_question_add": reverse("school:question-add", args=[etest.pk]),
        "3b_etest_publish": reverse("school:etest-publish", args=[etest.pk]),
        "3b_attempt_start": reverse("school:attempt-start", args=[etest.pk]),
        "3b_etest_take": reverse("school:etest-take", args=[etest.pk]),
        "3b_answer_save": reverse("school:answer-save", args=[etest.pk, question.pk]),
        "3b_attempt_submit": reverse("school:attempt-submit", args=[etest.pk]),
        "elias_attempt_mark": reverse("school:attempt-mark", args=[etest.pk, attempt.pk]),
        "3b_etest_release": reverse("school:etest-release", args=[etest.pk]),
    }


_timetable_url_builders = url_builders


def url_builders(demo) -> dict[str, str]:  # noqa: F811
    return {**_timetable_url_builders(demo), **_teaching_urls(demo)}
