from django.contrib import admin

from absence.models import AbsenceReport, LeaveApplication, LessonAttendance, SameDayNotice
from roster.admin_scope import UnitScopeMixin


@admin.register(AbsenceReport)
class AbsenceReportAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["child", "start_date", "end_date", "start_time", "end_time", "reason", "reported_by"]
    list_filter = ["reason"]
    date_hierarchy = "start_date"
    search_fields = ["child__given_name", "child__family_name"]
    raw_id_fields = ["child", "reported_by", "leave"]
    list_select_related = ["child", "reported_by"]


@admin.register(LessonAttendance)
class LessonAttendanceAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["child", "date", "lesson", "status", "late_minutes", "valid", "registered_by"]
    list_filter = ["status", "valid"]
    date_hierarchy = "date"
    raw_id_fields = ["child", "lesson", "registered_by"]
    list_select_related = ["child", "lesson__subject", "registered_by"]


@admin.register(LeaveApplication)
class LeaveApplicationAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["child", "start_date", "end_date", "state", "school_days", "decided_by"]
    list_filter = ["state"]
    raw_id_fields = ["child", "applied_by", "consent_by", "decided_by"]
    list_select_related = ["child", "decided_by"]


@admin.register(SameDayNotice)
class SameDayNoticeAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["child", "date", "recipients", "created_at"]
    raw_id_fields = ["child"]
    list_select_related = ["child"]
