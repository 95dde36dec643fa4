from django.contrib import admin

from roster.admin_scope import UnitScopeMixin
from school.models import Lesson, Subject


@admin.register(Subject)
class SubjectAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Lesson)
class LessonAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["group", "subject", "weekday", "start_time", "end_time", "teacher", "room", "term"]
    list_filter = ["weekday", "group__unit", "term"]
    search_fields = ["group__name", "subject__name", "teacher__email", "teacher__last_name"]
    list_select_related = ["group__unit", "subject", "teacher", "term"]
    autocomplete_fields = ["subject"]
    raw_id_fields = ["group", "teacher"]
