"""Access matrix rows of bookings: the demo's round of talks in 3B."""

from django.urls import reverse

from tests.matrix import LOGIN, logged_in, row

MATRIX = {
    "bookings:overview": ("bookings:overview", row(LOGIN, 200, 200, 403, 200, 200, 200, 200)),
    "bookings:publish": ("bookings:publish", row(LOGIN, 403, 403, 403, 200, 200, 200, 200)),
    "bookings:book": ("3b_slot_book", logged_in(405)),
    "bookings:slot-move": ("3b_slot_move", logged_in(405)),
    "bookings:cancel": ("3b_booking_cancel", logged_in(405)),
}


def url_builders(demo) -> dict[str, str]:
    from bookings.models import Booking, Slot

    slot = Slot.objects.filter(round__group=demo["3b"]).order_by("pk").first()
    booking = Booking.objects.filter(round__group=demo["3b"]).first()
    return {
        "3b_slot_book": reverse("bookings:book", args=[slot.pk]),
        "3b_slot_move": reverse("bookings:slot-move", args=[slot.pk]),
        "3b_booking_cancel": reverse("bookings:cancel", args=[booking.pk]),
    }
