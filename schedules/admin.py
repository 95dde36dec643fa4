from django.contrib import admin

from roster.admin_scope import UnitScopeMixin
from schedules.models import BaseSchedule, DayEntry, UnitHours


@admin.register(UnitHours)
class UnitHoursAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["unit", "opening_time", "closing_time"]
    list_select_related = ["unit"]


@admin.register(BaseSchedule)
class BaseScheduleAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["child", "start_date", "created_by"]
    raw_id_fields = ["child", "created_by"]
    list_select_related = ["child", "created_by"]


@admin.register(DayEntry)
class DayEntryAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["child", "date", "kind", "start_time", "end_time", "absent", "override_reason"]
    raw_id_fields = ["child", "changed_by"]
    date_hierarchy = "date"
    list_select_related = ["child"]
