from django.utils.translation import gettext_lazy as _

KINDS = {"hub.event_changed": _("Ändrade kalenderhändelser (t.ex. en flyttad utflykt)")}
