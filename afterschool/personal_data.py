from django.utils.translation import gettext_lazy as _

from accounts.personal_data import Registration

REGISTRATIONS = [
    Registration(
        model="afterschool.HolidaySurvey", description=_("Lovanmälningar du har öppnat"), person_paths=("opened_by",)
    ),
    Registration(
        model="afterschool.SurveyAnswer",
        description=_("Svar på lovanmälan"),
        child_paths=("child",),
        person_paths=("answered_by",),
        retention_kind="care_schedules",
        retention_date_field="day",
    ),
]
