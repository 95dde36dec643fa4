from django.contrib import admin

from afterschool.models import HolidaySurvey


@admin.register(HolidaySurvey)
class HolidaySurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "start_date", "end_date", "deadline"]
    list_filter = ["lov_kind"]
    raw_id_fields = ["unit", "opened_by"]
