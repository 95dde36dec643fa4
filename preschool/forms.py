from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from roster.dates import in_bounds


class MonthField(forms.CharField):
    """A month as "ÅÅÅÅ-MM" (the browser's <input type="month">)."""

    widget = forms.TextInput(attrs={"type": "month", "inputmode": "numeric", "placeholder": "ÅÅÅÅ-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-")[:2])
            parsed = date(year, month, 1)
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("Ange månaden som ÅÅÅÅ-MM, till exempel 2027-01.")) from exc
        if not in_bounds(parsed):
            raise forms.ValidationError(_("Ange en månad mellan 1990 och 2100."))
        return parsed


class IncomeReportForm(forms.Form):
    children = forms.MultipleChoiceField(label=_("Barn som ingår"), widget=forms.CheckboxSelectMultiple)
    co_guardians = forms.MultipleChoiceField(
        label=_("Andra vårdnadshavare i samma hushåll"), widget=forms.CheckboxSelectMultiple, required=False
    )
    other_adults = forms.CharField(
        label=_("Andra vuxna i hushållet (till exempel sambo)"), max_length=200, required=False
    )
    highest_fee = forms.BooleanField(
        label=_("Jag lämnar ingen inkomstuppgift och betalar högsta avgift"), required=False
    )
    monthly_income = forms.IntegerField(
        label=_("Hushållets inkomst per månad före skatt (kr)"),
        required=False,
        min_value=0,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    valid_from = MonthField(label=_("Gäller från månad"))

    def __init__(self, *args, children, co_guardians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [(str(c.pk), f"{c.given_name} {c.family_name}") for c in children]
        self.fields["co_guardians"].choices = [(str(g.pk), g.get_full_name() or g.email) for g in co_guardians]
        if not co_guardians:
            del self.fields["co_guardians"]


class PlacementNoticeForm(forms.Form):
    requested_last_day = forms.DateField(
        label=_("Önskad sista dag"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean_requested_last_day(self):
        value = self.cleaned_data["requested_last_day"]
        if not in_bounds(value):
            raise forms.ValidationError(_("Ange ett datum mellan 1990 och 2100."))
        return value
