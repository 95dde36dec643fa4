from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(model="school.Lesson", description=_("Lektioner du undervisar"), person_paths=("teacher",)),
]

# Plannings, weekly plans, assignments and eTest (issue 13). Group content names only its
# author; the pupil's own work (submissions, messages, test answers) is about the child.
REGISTRATIONS += [
    Registration(model="school.Planning", description=_("Planeringar du har skrivit"), person_paths=("created_by",)),
    Registration(model="school.WeeklyPlan", description=_("Veckoplaner du har skrivit"), person_paths=("created_by",)),
    Registration(
        model="school.Assignment",
        description=_("Uppgifter"),
        child_paths=("students",),
        person_paths=("created_by",),
    ),
    Registration(
        model="school.Submission",
        description=_("Inlämningar av uppgifter"),
        child_paths=("child",),
        person_paths=("reviewed_by",),
        retention_kind="schoolwork",
        retention_date_field="submitted_at",
    ),
    Registration(
        model="school.SubmissionFile",
        description=_("Filer i inlämningar"),
        child_paths=("submission__child",),
        exclude_fields=("file",),
    ),
    Registration(
        model="school.AssignmentComment",
        description=_("Meddelanden om uppgifter"),
        child_paths=("child",),
        person_paths=("author",),
        retention_kind="schoolwork",
    ),
    Registration(model="school.ETest", description=_("eTest du har skapat"), person_paths=("created_by",)),
    Registration(
        model="school.Attempt",
        description=_("eTest som eleven har skrivit"),
        child_paths=("child",),
        retention_kind="schoolwork",
        retention_date_field="started_at",
    ),
    Registration(
        model="school.Answer",
        description=_("Svar i eTest"),
        child_paths=("attempt__child",),
        retention_kind="schoolwork",
    ),
]
