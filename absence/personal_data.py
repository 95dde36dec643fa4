from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(
        model="absence.AbsenceReport",
        description=_("Frånvaroanmälningar"),
        child_paths=("child",),
        person_paths=("reported_by",),
        retention_kind="absence_reports",
        retention_date_field="end_date",
    ),
    Registration(
        model="absence.LessonAttendance",
        description=_("Närvaro på lektioner"),
        child_paths=("child",),
        person_paths=("registered_by",),
        retention_kind="attendance",
        retention_date_field="date",
    ),
    Registration(
        model="absence.SameDayNotice",
        description=_("Meddelanden om ogiltig frånvaro"),
        child_paths=("child",),
        retention_kind="absence_reports",
        retention_date_field="date",
    ),
    Registration(
        model="absence.LeaveApplication",
        description=_("Ledighetsansökningar"),
        child_paths=("child",),
        person_paths=("applied_by", "consent_by", "decided_by"),
        retention_kind="absence_reports",
        retention_date_field="end_date",
    ),
]
