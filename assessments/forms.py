import re
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import GradeValue, Level

_CELL = re.compile(r"[lk]-(?P<child>\d{1,12})-(?P<criterion>\d{1,12})")


def matrix_cells_from_post(data) -> dict[tuple[int, int], tuple[str, str]]:
    """The cells of a posted matrix: `l-<child>-<criterion>` (level) and
    `k-<child>-<criterion>` (comment). Which pupils and criteria belong to the matrix is
    the service's to check, so a crafted key is refused there."""
    cells: dict[tuple[int, int], tuple[str, str]] = {}
    for key in data:
        match = _CELL.fullmatch(key)
        if match is None:
            continue
        cell = (int(match["child"]), int(match["criterion"]))
        if cell in cells:
            continue
        level = data.get(f"l-{cell[0]}-{cell[1]}", "")
        comment = data.get(f"k-{cell[0]}-{cell[1]}", "")
        if level or comment:
            cells[cell] = (level, comment)
    return cells


def grade_entries_from_post(data, *, pupils) -> dict[int, tuple[str, str, str]]:
    return {p.pk: (data.get(f"g-{p.pk}", ""), data.get(f"n-{p.pk}", ""), data.get(f"r-{p.pk}", "")) for p in pupils}


class MatrixDateForm(forms.Form):
    assessed_on = forms.DateField(label=_("Datum för bedömningen"), widget=forms.DateInput(attrs={"type": "date"}))


LEVEL_CHOICES = [("", _("– ingen ändring –")), *Level.choices]
GRADE_CHOICES = [("", "–"), *GradeValue.choices]


class CatalogueForm(forms.Form):
    locked = forms.BooleanField(label=_("Lås betygskatalogen (lärare kan inte längre ändra)"), required=False)
    publish_date = forms.DateField(label=_("Betygsdag"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    publish_time = forms.TimeField(
        label=_("Klockslag"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    def clean(self):
        data = super().clean()
        day, time = data.get("publish_date"), data.get("publish_time")
        if bool(day) != bool(time):
            raise forms.ValidationError(_("Ange både datum och klockslag för betygsdagen, eller inget av dem."))
        data["publish_at"] = timezone.make_aware(datetime.combine(day, time)) if day else None
        return data


class IupForm(forms.Form):
    goals = forms.CharField(label=_("Mål"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000)
    school_does = forms.CharField(
        label=_("Det här gör skolan"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    student_does = forms.CharField(
        label=_("Det här gör eleven"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    home_does = forms.CharField(
        label=_("Det här gör hemmet"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )
    publish = forms.BooleanField(label=_("Dela med vårdnadshavare och elev"), required=False)

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.subjects = list(subjects)
        for subject in self.subjects:
            self.fields[f"w-{subject.pk}"] = forms.CharField(
                label=_("Skriftligt omdöme i %(subject)s") % {"subject": subject.name},
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                max_length=5000,
            )

    def written(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(f"w-{s.pk}", "") for s in self.subjects}

    def written_fields(self):
        return [self[f"w-{s.pk}"] for s in self.subjects]


class ProgrammeForm(forms.Form):
    needs = forms.CharField(label=_("Elevens behov"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    measures = forms.CharField(label=_("Åtgärder"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    responsibilities = forms.CharField(
        label=_("Vem gör vad"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    follow_up_on = forms.DateField(label=_("Uppföljning"), widget=forms.DateInput(attrs={"type": "date"}))
    evaluate_on = forms.DateField(label=_("Utvärdering"), widget=forms.DateInput(attrs={"type": "date"}))


class ProgrammeViewForm(forms.Form):
    text = forms.CharField(label=_("Din synpunkt"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AdaptationForm(forms.Form):
    subject = forms.ModelChoiceField(label=_("Ämne"), queryset=None, required=False, empty_label=_("Alla ämnen"))
    description = forms.CharField(label=_("Anpassning"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, **kwargs):
        from school.models import Subject

        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.all()


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Anteckning"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    shared = forms.BooleanField(label=_("Dela med vårdnadshavare och elev"), required=False)
