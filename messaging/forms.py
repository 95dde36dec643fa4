from django import forms
from django.utils.translation import gettext_lazy as _

from hub.forms import MultipleFileField

FILES_HELP = _("PDF, Word, Excel, text eller bilder. Högst 5 filer och 10 MB per fil.")


class FamilyStartForm(forms.Form):
    child = forms.TypedChoiceField(label=_("Gäller"), coerce=int)
    recipients = forms.TypedMultipleChoiceField(
        label=_("Till"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst en mottagare.")},
    )
    subject = forms.CharField(label=_("Ämne"), max_length=200, error_messages={"required": _("Skriv ett ämne.")})
    body = forms.CharField(
        label=_("Meddelande"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Skriv ett meddelande.")},
    )
    only_this_guardian = forms.BooleanField(
        label=_("Bara jag (barnets andra vårdnadshavare ser inte konversationen)"), required=False
    )
    files = MultipleFileField(label=_("Bilagor (valfritt)"), help_text=FILES_HELP)

    def __init__(self, *args, child_choices=(), recipient_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = list(child_choices)
        self.fields["recipients"].choices = list(recipient_choices)


class StaffStartForm(forms.Form):
    TO_CHOICES = [
        ("guardians", _("Barnets alla vårdnadshavare")),
        ("guardian", _("Bara en vårdnadshavare")),
        ("student", _("Eleven")),
    ]
    child = forms.TypedChoiceField(label=_("Barn/elev"), coerce=int)
    to = forms.ChoiceField(label=_("Till"), choices=TO_CHOICES, initial="guardians", widget=forms.RadioSelect)
    guardian = forms.TypedChoiceField(
        label=_("Vårdnadshavare (om bara en)"), coerce=int, required=False, empty_value=None
    )
    subject = forms.CharField(label=_("Ämne"), max_length=200, error_messages={"required": _("Skriv ett ämne.")})
    body = forms.CharField(
        label=_("Meddelande"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Skriv ett meddelande.")},
    )
    files = MultipleFileField(label=_("Bilagor (valfritt)"), help_text=FILES_HELP)

    def __init__(self, *args, child_choices=(), guardian_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].choices = list(child_choices)
        self.fields["guardian"].choices = [("", "–"), *guardian_choices]


class GroupSendForm(forms.Form):
    group = forms.TypedChoiceField(label=_("Grupp"), coerce=int)
    broadcast = forms.TypedChoiceField(
        label=_("Svar"),
        coerce=lambda v: v == "1",
        choices=[("0", _("Varje familj får en egen konversation och kan svara")), ("1", _("Utskick utan svar"))],
        initial="0",
        widget=forms.RadioSelect,
    )
    subject = forms.CharField(label=_("Ämne"), max_length=200, error_messages={"required": _("Skriv ett ämne.")})
    body = forms.CharField(
        label=_("Meddelande"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Skriv ett meddelande.")},
    )
    files = MultipleFileField(label=_("Bilagor (valfritt)"), help_text=FILES_HELP)

    def __init__(self, *args, group_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = list(group_choices)


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Svar"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv ett meddelande.")},
    )
    files = MultipleFileField(label=_("Bilagor (valfritt)"), help_text=FILES_HELP)
