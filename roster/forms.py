from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from roster import personnummer
from roster.models import Child


class PersonnummerField(forms.CharField):
    """Accepts ÅÅÅÅMMDD-NNNN, ÅÅMMDD-NNNN and twelve digits; cleans to twelve digits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 13)
        kwargs.setdefault("label", _("Personnummer"))
        kwargs.setdefault("help_text", _("ÅÅÅÅMMDD-NNNN. Samordningsnummer går också bra."))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.strip() if value else value

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        return personnummer.parse(value).normalized


class ChildAdminForm(forms.ModelForm):
    personnummer = PersonnummerField()

    class Meta:
        model = Child
        fields = [
            "given_name",
            "family_name",
            "personnummer",
            "user",
            "protected_identity",
            "photo_consent",
            "street_address",
            "postal_code",
            "city",
        ]

    def clean(self):
        cleaned = super().clean()
        number = cleaned.get("personnummer")
        if number:
            try:
                self.instance.date_of_birth = personnummer.parse(number).birth_date
            except ValidationError as exc:
                self.add_error("personnummer", exc)
        return cleaned
