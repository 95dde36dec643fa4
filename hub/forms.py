from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hub.models import Event
from roster.dates import validate_in_bounds


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AudienceFormMixin(forms.Form):
    audience = forms.ChoiceField(label=_("Vilka ska se det?"))

    def __init__(self, *args, audience_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [("", _("Välj mottagare"))] + list(audience_choices)


class NewsForm(AudienceFormMixin):
    title = forms.CharField(
        label=_("Rubrik"), max_length=200, error_messages={"required": _("Rubriken måste fyllas i.")}
    )
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    publish_at = forms.DateTimeField(
        label=_("Publiceras"),
        widget=DateTimeLocalInput(),
        initial=timezone.localtime,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[validate_in_bounds],
    )
    expires_at = forms.DateTimeField(
        label=_("Visas till (valfritt)"),
        widget=DateTimeLocalInput(),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        validators=[validate_in_bounds],
    )
    links = forms.CharField(
        label=_("Länkar (valfritt)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("En länk per rad: adressen först, sedan en beskrivning. https://exempel.se Läsårets datum"),
    )
    files = MultipleFileField(
        label=_("Bifoga filer (valfritt)"), help_text=_("PDF, Word, Excel, bilder. Högst 10 MB per fil.")
    )
    field_order = ["title", "body", "audience", "publish_at", "expires_at", "links", "files"]


class EventForm(AudienceFormMixin):
    title = forms.CharField(
        label=_("Rubrik"), max_length=200, error_messages={"required": _("Rubriken måste fyllas i.")}
    )
    event_type = forms.ChoiceField(label=_("Typ"), choices=Event.Type.choices)
    description = forms.CharField(label=_("Beskrivning"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    all_day = forms.BooleanField(label=_("Heldag"), required=False, initial=True)
    start_date = forms.DateField(
        label=_("Startdatum"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_in_bounds],
    )
    end_date = forms.DateField(
        label=_("Slutdatum (valfritt)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[validate_in_bounds],
    )
    start_time = forms.TimeField(
        label=_("Starttid"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Sluttid"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    field_order = [
        "title",
        "event_type",
        "audience",
        "start_date",
        "end_date",
        "all_day",
        "start_time",
        "end_time",
        "description",
    ]
