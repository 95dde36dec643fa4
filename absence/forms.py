from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from absence.models import LessonAttendance, Reason
from roster.dates import validate_in_bounds

DATE = {"type": "date"}
TIME = {"type": "time"}


def _date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
        validators=[validate_in_bounds],
        error_messages={"required": _("Välj ett datum."), "invalid": _("Ange ett datum som ÅÅÅÅ-MM-DD.")},
    )


def limit_as_you_type(field) -> None:
    """The browser no longer cuts a too-long text silently (no maxlength): the page counts
    as you type (static/js/skolhubb.js) and the server answers with the limit."""
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs["data-limit"] = field.max_length
    field.widget.attrs["data-limit-text"] = _("{count} av {limit} tecken")


def _time_field(label):
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs=TIME, format="%H:%M"),
        error_messages={"invalid": _("Ange en tid som TT:MM.")},
    )


class ReportForm(forms.Form):
    WHEN = [("idag", _("Idag")), ("imorgon", _("Imorgon")), ("period", _("Välj datum"))]
    PART = [("heldag", _("Hela dagen")), ("del", _("Del av dagen"))]

    children = forms.TypedMultipleChoiceField(
        label=_("Vem gäller det?"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst ett barn.")},
    )
    reason = forms.ChoiceField(label=_("Orsak"), choices=Reason.choices, widget=forms.RadioSelect, initial=Reason.SJUK)
    when = forms.ChoiceField(label=_("När?"), choices=WHEN, widget=forms.RadioSelect, initial="idag")
    start_date = _date_field(_("Från och med"), required=False)
    end_date = _date_field(_("Till och med"), required=False)
    part = forms.ChoiceField(
        label=_("Hela eller del av dagen"), choices=PART, widget=forms.RadioSelect, initial="heldag"
    )
    start_time = _time_field(_("Borta från klockan"))
    end_time = _time_field(_("Borta till klockan"))
    comment = forms.CharField(
        label=_("Kommentar"),
        max_length=200,
        required=False,
        help_text=_("Krävs när orsaken är Annat. Högst 200 tecken."),
        error_messages={"max_length": _("Kommentaren får vara högst %(limit_value)d tecken (nu %(show_value)d).")},
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [(c.pk, c.full_name) for c in children]
        limit_as_you_type(self.fields["comment"])

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        when = data.get("when")
        if when == "idag":
            data["start_date"] = data["end_date"] = today
        elif when == "imorgon":
            data["start_date"] = data["end_date"] = today + timedelta(days=1)
        elif when == "period":
            if not data.get("start_date"):
                self.add_error("start_date", _("Välj ett datum."))
            elif not data.get("end_date"):
                data["end_date"] = data["start_date"]
        if data.get("part") == "heldag":
            data["start_time"] = data["end_time"] = None
        elif data.get("part") == "del" and not (data.get("start_time") and data.get("end_time")):
            self.add_error("start_time", _("Ange både från- och till-tid när barnet är borta en del av dagen."))
        return data

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "start_date": d["start_date"],
            "end_date": d["end_date"],
            "start_time": d["start_time"],
            "end_time": d["end_time"],
            "reason": d["reason"],
            "comment": d["comment"],
        }


class ReportEditForm(forms.Form):
    reason = forms.ChoiceField(label=_("Orsak"), choices=Reason.choices, widget=forms.RadioSelect)
    start_date = _date_field(_("Från och med"))
    end_date = _date_field(_("Till och med"))
    start_time = _time_field(_("Borta från klockan (del av dag)"))
    end_time = _time_field(_("Borta till klockan (del av dag)"))
    comment = forms.CharField(
        label=_("Kommentar"),
        max_length=200,
        required=False,
        help_text=_("Högst 200 tecken."),
        error_messages={"max_length": _("Kommentaren får vara högst %(limit_value)d tecken (nu %(show_value)d).")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_as_you_type(self.fields["comment"])


class ReportEndForm(forms.Form):
    back_on = _date_field(_("Tillbaka från och med"))


class LeaveForm(forms.Form):
    child = forms.TypedChoiceField(label=_("Elev"), coerce=int)
    start_date = _date_field(_("Från och med"))
    end_date = _date_field(_("Till och med"))
    reason = forms.CharField(
        label=_("Anledning"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Skriv varför ni söker ledighet.")},
    )

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = [(c.pk, c.full_name) for c in children]


class ConsentForm(forms.Form):
    agree = forms.TypedChoiceField(
        label=_("Samtycker du till ansökan?"),
        choices=[("1", _("Ja, jag samtycker")), ("0", _("Nej"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Beslut"),
        choices=[("1", _("Bevilja")), ("0", _("Avslå"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AttendanceForm(forms.Form):
    """One row per pupil: status, minutes late, giltig. Fields are named by child id."""

    STATUS = LessonAttendance.Status.choices

    def __init__(self, *args, sheet, **kwargs):
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        maximum = sheet.lesson.minutes
        # Translated once for the whole group, not once per pupil.
        status_required = {"required": str(_("Välj närvarande, frånvarande eller sen."))}
        bad_minutes = str(_("Ange 1–%(max)s minuter.")) % {"max": maximum}
        minutes_errors = {"min_value": bad_minutes, "max_value": bad_minutes, "invalid": bad_minutes}
        minutes_label, valid_label = str(_("Minuter sen")), str(_("Giltig frånvaro"))
        for row in sheet.rows:
            cid = row.child.pk
            self.fields[f"s{cid}"] = forms.ChoiceField(
                label=row.child.full_name,
                choices=self.STATUS,
                widget=forms.RadioSelect,
                initial=row.initial_status,
                error_messages=status_required,
            )
            self.fields[f"m{cid}"] = forms.IntegerField(
                label=minutes_label,
                required=False,
                min_value=1,
                max_value=maximum,
                initial=row.initial_minutes,
                error_messages=minutes_errors,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            )
            self.fields[f"v{cid}"] = forms.BooleanField(label=valid_label, required=False, initial=row.initial_valid)

    @cached_property
    def rows(self):
        """(sheet row, status, minutes, valid bound fields) per pupil (the page writes the
        inputs with rows_html; this is for code that reads the form)."""
        return [
            (row, self[f"s{row.child.pk}"], self[f"m{row.child.pk}"], self[f"v{row.child.pk}"])
            for row in self.sheet.rows
        ]

    def clean(self):
        data = super().clean()
        for row in self.sheet.rows:
            cid = row.child.pk
            late = data.get(f"s{cid}") == LessonAttendance.Status.LATE
            # One clear error: a bad number already has its own ("Ange 1–45 minuter").
            if late and not data.get(f"m{cid}") and f"m{cid}" not in self.errors:
                self.add_error(f"m{cid}", _("Ange hur många minuter eleven var sen."))
        return data

    def rows_html(self) -> str:
        """The pupils' rows, written here rather than by 75 widget templates (about a
        millisecond a pupil): the same names, ids, values, states and errors as the widgets
        would render. Every text is escaped (esc); the rest are ids and fixed markup."""
        esc = conditional_escape
        checkbox = forms.CheckboxInput()
        errors = self.errors if self.is_bound else {}
        reported_label = esc(_("Anmäld"))
        minutes_label, valid_label = esc(_("Minuter sen")), esc(_("Giltig frånvaro"))
        choices = [(esc(value), esc(label)) for value, label in self.STATUS]
        maximum = int(self.sheet.lesson.minutes)
        parts = []
        for row in self.sheet.rows:
            cid = int(row.child.pk)
            if self.is_bound:
                status = self.data.get(f"s{cid}")
                minutes = self.data.get(f"m{cid}") or ""
                valid = bool(checkbox.value_from_datadict(self.data, self.files, f"v{cid}"))
            else:
                status, minutes, valid = row.initial_status, row.initial_minutes or "", row.initial_valid
            status_errors, minutes_errors = errors.get(f"s{cid}", []), errors.get(f"m{cid}", [])
            invalid = ' aria-invalid="true"' if status_errors else ""
            options = "".join(
                f'<span class="segment"><input type="radio" name="s{cid}" value="{value}" id="id_s{cid}_{i}" required'
                f'{invalid}{" checked" if value == status else ""}><label for="id_s{cid}_{i}">{label}</label></span>'
                for i, (value, label) in enumerate(choices)
            )
            reported = (
                f' <span class="tag tag--reported">{reported_label}: {esc(row.report.get_reason_display())}</span>'
                if row.report
                else ""
            )
            classes = " attendance__row--reported" if row.report else ""
            classes += " field--error" if status_errors or minutes_errors else ""
            messages = "".join(f'<p class="field__errors">{esc(e)}</p>' for e in [*status_errors, *minutes_errors])
            parts.append(
                f'<li class="attendance__row{classes}" id="elev-{cid}"><fieldset>'
                f'<legend class="attendance__name">{esc(row.child.full_name)}{reported}</legend>'
                f'<div class="attendance__status">{options}</div>'
                f'<div class="attendance__extra"><span class="attendance__minutes">'
                f'<label for="id_m{cid}">{minutes_label}</label><input type="number" name="m{cid}" '
                f'value="{esc(minutes)}" inputmode="numeric" min="1" max="{maximum}" id="id_m{cid}"'
                f"{' aria-invalid="true"' if minutes_errors else ''}></span>"
                f'<span class="attendance__valid"><input type="checkbox" name="v{cid}" id="id_v{cid}"'
                f'{" checked" if valid else ""}><label for="id_v{cid}">{valid_label}</label></span>'
                f"</div>{messages}</fieldset></li>\n"
            )
        return mark_safe("".join(parts))  # noqa: S308 - every text in it escaped above

    def marks(self):
        from absence.services import Mark

        d = self.cleaned_data
        return [
            Mark(
                child_id=row.child.pk,
                status=d[f"s{row.child.pk}"],
                late_minutes=d.get(f"m{row.child.pk}") or 0,
                valid=bool(d.get(f"v{row.child.pk}")),
            )
            for row in self.sheet.rows
        ]
