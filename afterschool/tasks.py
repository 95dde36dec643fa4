from celery import shared_task
from celery.schedules import crontab
from django.utils import timezone

# Found by config.celery: reminders at 17:00 two days before and on the deadline.
PERIODIC_TASKS = {
    "afterschool-survey-reminders": {
        "task": "afterschool.tasks.survey_reminders_send",
        "schedule": crontab(hour=17, minute=0),
    },
}


@shared_task(ignore_result=True)
def survey_reminders_send() -> int:
    from datetime import timedelta

    from afterschool.models import HolidaySurvey
    from afterschool.services import survey_remind

    today = timezone.localdate()
    due = HolidaySurvey.objects.filter(deadline__in=[today, today + timedelta(days=2)])
    return sum(survey_remind(survey=survey, today=today) for survey in due)
