from django.contrib import admin

from bookings.models import Booking, Round, Slot
from roster.admin_scope import ScopedChoicesInlineMixin, UnitScopeMixin


class SlotInline(ScopedChoicesInlineMixin, admin.TabularInline):
    model = Slot
    extra = 0


@admin.register(Round)
class RoundAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["title", "group", "deadline"]
    raw_id_fields = ["group", "created_by"]
    inlines = [SlotInline]


@admin.register(Booking)
class BookingAdmin(UnitScopeMixin, admin.ModelAdmin):
    list_display = ["child", "slot", "round"]
    raw_id_fields = ["slot", "round", "child", "booked_by"]
