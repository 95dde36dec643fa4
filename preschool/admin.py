from django.contrib import admin

from preschool.models import FeeRule, IncomeReport, PlacementNotice, UnitNoticePeriod
from roster.admin_scope import UnitScopeMixin


@admin.register(FeeRule)
class FeeRuleAdmin(admin.ModelAdmin):
    """Next year's maxtaxa is added here as a new rule with its valid-from date."""

    list_display = ["valid_from", "income_ceiling", "deduction", "forskola_percent", "fritidshem_percent"]


@admin.register(UnitNoticePeriod)
class UnitNoticePeriodAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["unit", "months"]


@admin.register(IncomeReport)
class IncomeReportAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["valid_from", "reported_by", "monthly_income", "highest_fee", "created_at"]
    raw_id_fields = ["reported_by", "guardians", "children"]
    date_hierarchy = "valid_from"


@admin.register(PlacementNotice)
class PlacementNoticeAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["placement", "last_day", "state", "given_by", "confirmed_by"]
    list_filter = ["state"]
    raw_id_fields = ["placement", "given_by", "confirmed_by"]
