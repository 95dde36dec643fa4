from django.utils.translation import gettext_lazy as _

KINDS = {
    "portfolio.new_entry": _("Ny dokumentation om ditt barn"),
}
