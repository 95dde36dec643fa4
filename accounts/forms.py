from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _


class LoginForm(AllauthLoginForm):
    """allauth's login form with visible labels only (placeholders vanish as you type)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("E-postadress")
        self.fields["password"].label = _("Lösenord")
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)
            field.help_text = ""  # the page has its own "Glömt lösenord?" link
        self.fields["login"].widget.attrs["autocomplete"] = "username"


class ActivationForm(forms.Form):
    password1 = forms.CharField(
        label=_("Välj lösenord"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Minst 10 tecken. Undvik vanliga ord och bara siffror."),
    )
    password2 = forms.CharField(
        label=_("Upprepa lösenordet"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )


EMAIL_MAX_LENGTH = 254  # accounts.User.email (RFC 5321's limit)


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label=_("Ny e-postadress"),
        max_length=EMAIL_MAX_LENGTH,
        error_messages={
            "max_length": _("E-postadressen får vara högst %(limit_value)d tecken."),
            "invalid": _("Ange en giltig e-postadress."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Ditt nuvarande lösenord"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class ContactForm(forms.Form):
    phone_mobile = forms.CharField(
        label=_("Mobiltelefon"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    phone_home = forms.CharField(
        label=_("Hemtelefon"), required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    phone_work = forms.CharField(
        label=_("Arbetstelefon"), required=False, max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    share_name = forms.BooleanField(label=_("Andra vårdnadshavare i klassen får se mitt namn"), required=False)
    share_email = forms.BooleanField(label=_("Andra vårdnadshavare i klassen får se min e-postadress"), required=False)
    share_phone = forms.BooleanField(
        label=_("Andra vårdnadshavare i klassen får se mitt telefonnummer"), required=False
    )
