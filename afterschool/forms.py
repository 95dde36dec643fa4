from django import forms
from django.utils.translation import gettext_lazy as _

from roster.dates import validate_in_bounds


class SurveyOpenForm(forms.Form):
    lov = forms.ChoiceField(label=_("Lov"))
    deadline = forms.DateField(
        label=_("Svara senast"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_in_bounds],
    )

    def __init__(self, *args, lovs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lov"].choices = [
            (lov.start.isoformat(), f"{lov.label} {lov.start:%-d/%-m}–{lov.end:%-d/%-m %Y}") for lov in lovs
        ]


class SurveyAnswerForm(forms.Form):
    """One row per care day of the lov: care (with times) or ledig."""

    def __init__(self, *args, days, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.days = days
        for day in days:
            answer = existing.get(day)
            key = f"{day:%Y%m%d}"
            self.fields[f"need_{key}"] = forms.ChoiceField(
                label=day,
                choices=[("omsorg", _("Behöver omsorg")), ("ledig", _("Ledig"))],
                widget=forms.RadioSelect,
                initial=None if answer is None else ("omsorg" if answer.needs_care else "ledig"),
            )
            self.fields[f"start_{key}"] = forms.TimeField(
                label=_("Lämnas"),
                required=False,
                widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
                initial=answer.start_time if answer else None,
            )
            self.fields[f"end_{key}"] = forms.TimeField(
                label=_("Hämtas"),
                required=False,
                widget=forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M"),
                initial=answer.end_time if answer else None,
            )

    def rows(self):
        return [
            (day, self[f"need_{day:%Y%m%d}"], self[f"start_{day:%Y%m%d}"], self[f"end_{day:%Y%m%d}"])
            for day in self.days
        ]

    def answers(self):
        return {
            day: (
                self.cleaned_data[f"need_{day:%Y%m%d}"] == "omsorg",
                self.cleaned_data.get(f"start_{day:%Y%m%d}"),
                self.cleaned_data.get(f"end_{day:%Y%m%d}"),
            )
            for day in self.days
        }
