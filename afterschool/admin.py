from django.contrib import admin

from afterschool.models import HolidaySurvey
from roster.admin_scope import UnitScopeMixin


@admin.register(HolidaySurvey)
class HolidaySurveyAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["title", "unit", "start_date", "end_date", "deadline"]
    list_filter = ["lov_kind"]
    raw_id_fields = ["unit", "opened_by"]
