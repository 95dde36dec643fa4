from django.contrib import admin

from assessments.models import Criterion


@admin.register(Criterion)
class CriterionAdmin(admin.ModelAdmin):
    """Criteria are curriculum data an administrator loads and edits. The documents about
    children (assessments, grades, IUP, åtgärdsprogram, notes) are deliberately not in the
    admin: every read of them must go through the logged views."""

    list_display = ["subject", "stage", "kind", "position", "short_label", "is_active"]
    list_filter = ["stage", "kind", "is_active", "subject"]
    list_editable = ["position", "is_active"]
    search_fields = ["short_label", "text", "subject__name"]
    ordering = ["subject__name", "stage", "position"]
