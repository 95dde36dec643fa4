from django import forms
from django.utils.translation import gettext_lazy as _

from portfolio.models import Entry


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        return list(data) if isinstance(data, list | tuple) else [data]


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Typ"), choices=Entry.Kind.choices, widget=forms.RadioSelect, initial=Entry.Kind.GROUP
    )
    children = forms.TypedMultipleChoiceField(
        label=_("Barn som dokumentationen handlar om"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Rubrik"), max_length=140)
    body = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tomma rader blir stycken. Enkel HTML (stycken, listor, länkar) går också bra."),
    )
    goal = forms.CharField(label=_("Koppling till mål (valfritt)"), max_length=200, required=False)
    comments_allowed = forms.BooleanField(label=_("Vårdnadshavare och elever får kommentera"), required=False)
    files = MultipleFileField(
        label=_("Foton och filmer"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*,video/mp4,video/quicktime", "class": "js-media-input"}),
        help_text=_("JPEG, PNG, HEIC, WebP, MP4 eller MOV. Du kan välja flera på en gång."),
    )
    media = forms.TypedMultipleChoiceField(required=False, coerce=int, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["children"].choices = [
            (c.pk, c.full_name if c.photo_consent and not c.protected_identity else f"{c.full_name} *")
            for c in children
        ]
        # Uploaded ids arrive from the script; the service checks they are the user's own.
        self.fields["media"].choices = []
        self.fields["media"].valid_value = lambda value: str(value).isdigit()


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Kommentar"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class PostForm(forms.Form):
    title = forms.CharField(label=_("Rubrik"), max_length=140)
    body = forms.CharField(label=_("Text"), required=False, widget=forms.Textarea(attrs={"rows": 8}))
    files = MultipleFileField(
        label=_("Foton och filmer"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": "image/*,video/mp4,video/quicktime", "class": "js-media-input"}),
    )
    media = forms.TypedMultipleChoiceField(required=False, coerce=int, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, allow_media=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["media"].valid_value = lambda value: str(value).isdigit()
        if not allow_media:
            del self.fields["files"]
            del self.fields["media"]


class PortfolioFilterForm(forms.Form):
    lasar = forms.TypedChoiceField(label=_("Läsår"), required=False, coerce=int, empty_value=None)
    enhet = forms.TypedChoiceField(label=_("Enhet"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, school_years=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lasar"].choices = [("", _("Alla läsår")), *school_years]
        self.fields["enhet"].choices = [("", _("Alla enheter")), *units]


class BlogSettingsForm(forms.Form):
    title = forms.CharField(label=_("Namn"), max_length=120)
    students_may_post = forms.BooleanField(label=_("Elever får skriva inlägg"), required=False)
    comments_allowed = forms.BooleanField(label=_("Elever och vårdnadshavare får kommentera"), required=False)
