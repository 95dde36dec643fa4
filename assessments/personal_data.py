from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

# Grades and åtgärdsprogram are kept (the school's archive rules, not Skolhubb, decide when
# they leave); assessments, IUP, extra adaptations and notes get a retention kind an
# administrator can set a rule for.
REGISTRATIONS = [
    Registration(
        model="assessments.Assessment",
        description=_("Bedömningar mot kunskapskriterier"),
        child_paths=("child",),
        person_paths=("assessed_by",),
        retention_kind="assessments",
        retention_date_field="created_at",
    ),
    Registration(
        model="assessments.Grade",
        description=_("Betyg"),
        child_paths=("child",),
        person_paths=("set_by",),
    ),
    Registration(
        model="assessments.GradeCatalogue",
        description=_("Betygskataloger (låsta av)"),
        person_paths=("locked_by",),
    ),
    Registration(
        model="assessments.Iup",
        description=_("IUP med skriftliga omdömen"),
        child_paths=("child",),
        person_paths=("author",),
        retention_kind="iup",
        retention_date_field="created_at",
    ),
    Registration(
        model="assessments.ActionProgramme",
        description=_("Åtgärdsprogram"),
        child_paths=("child",),
        person_paths=("created_by", "decided_by"),
    ),
    Registration(
        model="assessments.ProgrammeView",
        description=_("Synpunkter på åtgärdsprogram"),
        child_paths=("programme__child",),
        person_paths=("author",),
    ),
    Registration(
        model="assessments.ExtraAdaptation",
        description=_("Extra anpassningar"),
        child_paths=("child",),
        person_paths=("created_by",),
        retention_kind="extra_adaptations",
        retention_date_field="created_at",
    ),
    Registration(
        model="assessments.Note",
        description=_("Anteckningar om elever"),
        child_paths=("child",),
        person_paths=("author",),
        retention_kind="student_notes",
        retention_date_field="created_at",
    ),
]
