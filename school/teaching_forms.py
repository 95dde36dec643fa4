from __future__ import annotations

import re
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from hub.forms import DateTimeLocalInput, MultipleFileField
from school.models import Question, Subject, WeeklyItem

WEEK_RE = re.compile(r"^(\d{4})-W(\d{2})$")
DATETIME_ERRORS = {"required": _("Välj datum och tid."), "invalid": _("Ange datum och tid som ÅÅÅÅ-MM-DD TT:MM.")}


class WeekInput(forms.TextInput):
    input_type = "week"


class WeekField(forms.Field):
    """An ISO week as `2026-W48` (the browser's week picker); cleans to that week's Monday."""

    widget = WeekInput
    default_error_messages = {
        "invalid": _("Ange en vecka som ÅÅÅÅ-Vnn, t.ex. 2026-W48."),
        "required": _("Välj en vecka."),
    }

    def prepare_value(self, value):
        if isinstance(value, date):
            year, week, _day = value.isocalendar()
            return f"{year}-W{week:02d}"
        return value

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        match = WEEK_RE.match(value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return date.fromisocalendar(int(match[1]), int(match[2]), 1)
        except ValueError as exc:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc


def _group_field(groups):
    return forms.TypedChoiceField(
        label=_("Grupp"),
        coerce=int,
        choices=[(g.pk, f"{g.name} ({g.unit.name})") for g in groups],
        error_messages={"required": _("Välj en grupp."), "invalid_choice": _("Välj en av dina grupper.")},
    )


def _subject_field(required=True):
    return forms.ModelChoiceField(
        label=_("Ämne"),
        queryset=Subject.objects.all(),
        required=required,
        empty_label="—",
        error_messages={"required": _("Välj ett ämne."), "invalid_choice": _("Välj ett ämne i listan.")},
    )


class PlanningForm(forms.Form):
    group = None  # set per request
    subject = _subject_field()
    title = forms.CharField(label=_("Rubrik"), max_length=200, error_messages={"required": _("Fyll i en rubrik.")})
    start_week = WeekField(label=_("Första vecka"))
    end_week = WeekField(label=_("Sista vecka"))
    learn = forms.CharField(
        label=_("Vad eleverna ska lära sig"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    how = forms.CharField(label=_("Hur vi arbetar"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    assessed = forms.CharField(label=_("Hur det bedöms"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    criteria = forms.CharField(
        label=_("Kunskapskrav och kriterier"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Fritext tills bedömningsstödet finns: ett kriterium per rad."),
    )
    files = MultipleFileField(label=_("Bilagor"), help_text=_("PDF, Office, OpenDocument, text eller bilder."))

    def __init__(self, *args, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields = {"group": _group_field(groups), **self.fields}


class PlanningCopyForm(forms.Form):
    WHERE = [("group", _("Till en annan grupp, samma veckor")), ("next_year", _("Till nästa läsår, samma veckonummer"))]
    where = forms.ChoiceField(label=_("Kopiera"), choices=WHERE, widget=forms.RadioSelect, initial="group")

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"] = _group_field(groups)


class WeeklyPlanForm(forms.Form):
    letter = forms.CharField(
        label=_("Veckobrev"),
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
        help_text=_("Tomma rader blir stycken. Enkel HTML går bra: <strong>, <em>, listor och länkar."),
    )
    publish = forms.ChoiceField(
        label=_("Publicering"),
        choices=[("draft", _("Spara som utkast")), ("now", _("Publicera nu")), ("at", _("Publicera vid vald tid"))],
        widget=forms.RadioSelect,
        initial="draft",
    )
    publish_at = forms.DateTimeField(
        label=_("Publiceras"), widget=DateTimeLocalInput(), required=False, error_messages=DATETIME_ERRORS
    )

    def clean(self):
        data = super().clean()
        if data.get("publish") == "at" and not data.get("publish_at") and "publish_at" not in self.errors:
            self.add_error("publish_at", _("Välj när veckoplanen ska publiceras."))
        return data


ITEM_ROWS = 10


class WeeklyItemForm(forms.Form):
    day = forms.TypedChoiceField(label=_("Dag"), coerce=date.fromisoformat, required=False)
    kind = forms.ChoiceField(
        label=_("Typ"),
        choices=WeeklyItem.Kind.choices,
        required=False,
        error_messages={"invalid_choice": _("Välj en typ för varje punkt.")},
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=200,
        required=False,
        error_messages={"max_length": _("En punkt får vara högst 200 tecken.")},
    )

    def __init__(self, *args, monday=None, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils.formats import date_format

        days = [monday + timedelta(days=i) for i in range(5)]
        self.fields["day"].choices = [(d.isoformat(), date_format(d, "l j/n")) for d in days]
        self.fields["day"].error_messages["invalid_choice"] = _("Välj en dag i veckan.")

    def clean(self):
        data = super().clean()
        if data.get("text") and not data.get("day"):
            self.add_error("day", _("Välj en dag i veckan."))
        return data


class BaseItemFormSet(forms.BaseFormSet):
    def __init__(self, *args, monday=None, **kwargs):
        self.monday = monday
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "monday": self.monday}


WeeklyItemFormSet = forms.formset_factory(
    WeeklyItemForm, formset=BaseItemFormSet, extra=0, max_num=30, validate_max=True
)


class AssignmentForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200, error_messages={"required": _("Fyll i en rubrik.")})
    subject = _subject_field(required=False)
    instructions = forms.CharField(
        label=_("Instruktioner"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Fyll i instruktioner.")},
    )
    deadline = forms.DateTimeField(
        label=_("Sista inlämning"), widget=DateTimeLocalInput(), error_messages=DATETIME_ERRORS
    )
    allow_late = forms.BooleanField(label=_("Tillåt sen inlämning (markeras som sen)"), required=False)
    criteria = forms.CharField(
        label=_("Kriterier (valfritt)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    students = forms.TypedMultipleChoiceField(
        label=_("Ge uppgiften till"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Välj ingen för att ge uppgiften till hela gruppen."),
        error_messages={"invalid_choice": _("Välj bara elever i gruppen.")},
    )
    guardians_may_write = forms.BooleanField(label=_("Vårdnadshavare får skriva i samtalet"), required=False)
    files = MultipleFileField(label=_("Bilagor"))
    publish = forms.BooleanField(label=_("Publicera direkt"), required=False)

    def __init__(self, *args, pupils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["students"].choices = [(c.pk, c.full_name) for c in pupils]


class SubmissionForm(forms.Form):
    text = forms.CharField(label=_("Ditt svar"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    files = MultipleFileField(
        label=_("Filer"), help_text=_("PDF, Office, OpenDocument, text eller bilder, högst 5 filer.")
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Bedömning"),
        choices=[("done", _("Klar")), ("return", _("Återlämna för komplettering"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Välj Klar eller Återlämna.")},
    )
    feedback = forms.CharField(label=_("Återkoppling"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Skriv ett meddelande"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Skriv ett meddelande.")},
    )


class ETestForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=200, error_messages={"required": _("Fyll i en rubrik.")})
    subject = _subject_field(required=False)
    instructions = forms.CharField(label=_("Instruktioner"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    opens_at = forms.DateTimeField(label=_("Öppnar"), widget=DateTimeLocalInput(), error_messages=DATETIME_ERRORS)
    closes_at = forms.DateTimeField(label=_("Stänger"), widget=DateTimeLocalInput(), error_messages=DATETIME_ERRORS)
    time_limit_minutes = forms.IntegerField(
        label=_("Tidsgräns i minuter (valfritt)"),
        required=False,
        min_value=1,
        max_value=600,
        error_messages={
            "invalid": _("Skriv tidsgränsen som ett heltal."),
            "min_value": _("Tidsgränsen ska vara 1–600 minuter."),
            "max_value": _("Tidsgränsen ska vara 1–600 minuter."),
        },
    )


CHOICE_ROWS = 5


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Frågetyp"), choices=Question.Kind.choices, widget=forms.RadioSelect, initial="single"
    )
    text = forms.CharField(
        label=_("Fråga"), widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": _("Skriv frågan.")}
    )
    points = forms.IntegerField(
        label=_("Poäng"),
        initial=1,
        min_value=1,
        max_value=100,
        error_messages={
            "required": _("Ange poäng."),
            "invalid": _("Poängen ska vara ett heltal."),
            "min_value": _("Poängen ska vara 1–100."),
            "max_value": _("Poängen ska vara 1–100."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(CHOICE_ROWS):
            self.fields[f"choice_{i}"] = forms.CharField(
                label=_("Alternativ %(n)d") % {"n": i + 1}, max_length=200, required=False
            )
            self.fields[f"correct_{i}"] = forms.BooleanField(label=_("Rätt svar"), required=False)

    def choice_rows(self):
        return [(self[f"choice_{i}"], self[f"correct_{i}"]) for i in range(CHOICE_ROWS)]

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "text": d["text"],
            "points": d["points"],
            "choices": [d.get(f"choice_{i}", "") for i in range(CHOICE_ROWS)],
            "correct": [i for i in range(CHOICE_ROWS) if d.get(f"correct_{i}")],
        }
