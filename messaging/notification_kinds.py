from django.utils.translation import gettext_lazy as _

KINDS = {"messaging.message": _("Nya meddelanden")}
