from django import forms
from django.utils.translation import gettext_lazy as _

from roster.dates import validate_in_bounds
from roster.models import ClosedPeriod
from schedules.models import DayEntry

WEEKDAYS = [_("Måndag"), _("Tisdag"), _("Onsdag"), _("Torsdag"), _("Fredag")]
TIME_FORMATS = ["%H:%M", "%H.%M", "%H%M"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", attrs={"step": "300"}, **kwargs)


def _time_field(label):
    return forms.TimeField(
        label=label,
        required=False,
        widget=TimeInput(),
        input_formats=TIME_FORMATS,
        error_messages={"invalid": _("Ange en tid som 07:30.")},
    )


def _date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        validators=[validate_in_bounds],
        error_messages={"required": _("Ange ett datum."), "invalid": _("Ange ett datum som 2026-12-07.")},
    )


class SiblingsMixin(forms.Form):
    siblings = forms.MultipleChoiceField(
        label=_("Kopiera även till syskon"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, siblings=(), **kwargs):
        super().__init__(*args, **kwargs)
        if siblings:
            self.fields["siblings"].choices = [(str(c.pk), c.given_name) for c in siblings]
        else:
            del self.fields["siblings"]

    def clean(self):
        data = super().clean()
        # A hidden field's error would show next to nothing: say it at the top of the form.
        if "version" in self._errors:
            for message in self._errors.pop("version"):
                self.add_error(None, message)
        return data


def _version_field() -> forms.IntegerField:
    """The schedule version the form was shown with (optimistic locking): required, so a
    POST that does not say which version it saw is refused rather than saved over a newer one."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": _("Schemat har ändrats av någon annan, ladda om"),
            "invalid": _("Schemat har ändrats av någon annan, ladda om"),
            "min_value": _("Schemat har ändrats av någon annan, ladda om"),
        },
    )


class BaseScheduleForm(SiblingsMixin):
    start_date = _date_field(_("Gäller från"))
    rotating = forms.BooleanField(
        label=_("Olika scheman udda och jämna veckor"),
        required=False,
        help_text=_("För växelvis boende: första veckan gäller udda veckor, den andra jämna."),
    )
    version = _version_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for d, name in enumerate(WEEKDAYS):
            self.fields[f"w0_d{d}_start"] = _time_field(_("%(day)s kommer") % {"day": name})
            self.fields[f"w0_d{d}_end"] = _time_field(_("%(day)s går") % {"day": name})
        for d, name in enumerate(WEEKDAYS):
            self.fields[f"w1_d{d}_start"] = _time_field(_("%(day)s kommer, jämn vecka") % {"day": name})
            self.fields[f"w1_d{d}_end"] = _time_field(_("%(day)s går, jämn vecka") % {"day": name})
        self.order_fields(["start_date", "rotating"])

    def week_rows(self, w: int):
        return [(WEEKDAYS[d], self[f"w{w}_d{d}_start"], self[f"w{w}_d{d}_end"]) for d in range(5)]

    @property
    def weeks_rows(self):
        return [self.week_rows(0), self.week_rows(1)]

    def weeks(self):
        count = 2 if self.cleaned_data.get("rotating") else 1
        return [
            [(self.cleaned_data.get(f"w{w}_d{d}_start"), self.cleaned_data.get(f"w{w}_d{d}_end")) for d in range(5)]
            for w in range(count)
        ]


class DaysForm(SiblingsMixin):
    start_date = _date_field(_("Datum"))
    end_date = _date_field(_("Till och med (valfritt, för flera dagar)"), required=False)
    kind = forms.ChoiceField(
        label=_("Barnet är"),
        choices=[
            (DayEntry.Kind.TIMES, _("på förskolan/fritids, tider nedan")),
            (DayEntry.Kind.LEDIG, _("ledig")),
            (DayEntry.Kind.BASE, _("enligt grundschemat")),
        ],
        widget=forms.RadioSelect,
        initial=DayEntry.Kind.TIMES,
        error_messages={"required": _("Välj tider, ledig eller grundschema.")},
    )
    start_time = _time_field(_("Kommer"))
    end_time = _time_field(_("Går"))
    reason = forms.CharField(
        label=_("Skäl (krävs inom låsningen)"),
        required=False,
        max_length=300,
        help_text=_('T.ex. "Överenskommet med pappa per telefon". Visas för vårdnadshavaren.'),
    )
    version = _version_field()

    def __init__(self, *args, as_staff=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not as_staff:
            del self.fields["reason"]
        if "siblings" in self.fields:
            self.fields["siblings"] = self.fields.pop("siblings")  # last, after the times


class CommentForm(forms.Form):
    date = _date_field(_("Dag"))
    body = forms.CharField(
        label=_("Kommentar"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv en kommentar.")},
    )


class ClosedDayForm(forms.Form):
    date = _date_field(_("Datum"))
    reason = forms.ChoiceField(
        label=_("Anledning"),
        choices=[
            (k.value, k.label)
            for k in (ClosedPeriod.Kind.STUDIEDAG, ClosedPeriod.Kind.PLANERINGSDAG, ClosedPeriod.Kind.STANGT)
        ],
    )
