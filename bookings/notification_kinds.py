from django.utils.translation import gettext_lazy as _

KINDS = {
    "bookings.published": _("Nya tider för utvecklingssamtal"),
    "bookings.booking": _("Bokningar, ändringar och påminnelser om utvecklingssamtal"),
}
