from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(model="schedules.ScheduleState", description=_("Schemats version"), child_paths=("child",)),
    Registration(
        model="schedules.BaseSchedule",
        description=_("Grundschema för omsorg"),
        child_paths=("child",),
        person_paths=("created_by",),
        retention_kind="care_schedules",
        retention_date_field="start_date",
    ),
    Registration(
        model="schedules.DayEntry",
        description=_("Omsorgstider per dag"),
        child_paths=("child",),
        person_paths=("changed_by",),
        retention_kind="care_schedules",
        retention_date_field="date",
    ),
    Registration(
        model="schedules.ClosedDay", description=_("Stängda dagar du har lagt in"), person_paths=("created_by",)
    ),
    Registration(
        model="schedules.DayComment",
        description=_("Kommentarer om omsorgsdagar"),
        child_paths=("child",),
        person_paths=("author",),
        retention_kind="care_schedules",
        retention_date_field="date",
    ),
    Registration(
        model="schedules.Attendance",
        description=_("In- och utcheckningar"),
        child_paths=("child",),
        person_paths=("arrived_by", "left_by"),
        retention_kind="checkins",
        retention_date_field="date",
    ),
    Registration(model="schedules.ReminderSent", description=_("Skickade påminnelser"), person_paths=("guardian",)),
]
