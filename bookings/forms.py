from django import forms
from django.utils.translation import gettext_lazy as _

from hub.forms import DateTimeLocalInput


class PublishForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Grupp"), coerce=int)
    title = forms.CharField(label=_("Rubrik"), max_length=200, initial=_("Utvecklingssamtal"))
    day = forms.DateField(label=_("Dag"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    first_start = forms.TimeField(
        label=_("Första samtalet börjar"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    last_end = forms.TimeField(
        label=_("Sista samtalet slutar senast"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    minutes = forms.IntegerField(label=_("Längd (minuter)"), initial=20, min_value=10, max_value=120)
    place = forms.CharField(label=_("Plats"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Videolänk (valfritt)"), max_length=500, required=False, assume_scheme="https")
    deadline = forms.DateTimeField(
        label=_("Boka, ändra och avboka senast"),
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, group_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = list(group_choices)


class MoveForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Ny tid"), widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
