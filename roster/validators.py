"""Names are plain text.

The rule (`validate_plain_name`): a name of a person (child, guardian, staff), a unit or a
group may hold any letter, digit, space and punctuation a real name has – hyphens,
apostrophes, dots, Swedish and other letters (Anna-Lena, O'Brien, Åsa Örn, Ngũgĩ) – but not
the angle brackets `<` and `>`, with which markup (`<script>`, `<b>`, `<img …>`) is written,
and no control characters (line breaks, tabs, NUL and the like), which no name has and
which break the one-line places names are shown in (lists, e-mail headers, CSV exports).

Templates escape names anyway; the rule keeps markup out of the data itself, so that an
e-mail, an export or another system reading the register never receives it.

Used on the model fields (so every ModelForm, the admin's among them, refuses such a name)
and by the services that create people without a form (roster.services, the SS 12000
import, which calls full_clean).
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MARKUP_CHARACTERS = frozenset("<>")


def validate_plain_name(value) -> None:
    if value is None:
        return
    text = str(value)
    if any(character in MARKUP_CHARACTERS for character in text):
        raise ValidationError(_("Namnet får inte innehålla tecknen < eller >."), code="markup")
    if any(unicodedata.category(character) == "Cc" for character in text):
        raise ValidationError(
            _("Namnet får inte innehålla radbrytningar, tabbar eller andra kontrolltecken."), code="control"
        )
