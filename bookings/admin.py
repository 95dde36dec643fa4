from django.contrib import admin

from bookings.models import Booking, Round, Slot


class SlotInline(admin.TabularInline):
    model = Slot
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "group", "deadline"]
    raw_id_fields = ["group", "created_by"]
    inlines = [SlotInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["child", "slot", "round"]
    raw_id_fields = ["slot", "round", "child", "booked_by"]
