from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import services
from accounts.forms import ActivationForm, ContactForm, EmailChangeForm
from accounts.models import User
from accounts.tokens import activation_token
from config.forms import form_add_service_errors


def _user_from_uid(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


@login_not_required
@require_http_methods(["GET", "POST"])
def activate(request, uidb64, token):
    user = _user_from_uid(uidb64)
    if user is None or not activation_token.check_token(user, token):
        return render(request, "accounts/activation_invalid.html", status=400)
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_activate(user=user, token=token, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Ditt lösenord är sparat. Logga in med din e-postadress."))
            return redirect("account_login")
    return render(request, "accounts/activate.html", {"form": form, "account": user})


@require_http_methods(["GET", "POST"])
def contact(request):
    user = request.user
    initial = {f: getattr(user, f) for f in ContactForm.base_fields}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_contact_update(user=user, **data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(request, _("Dina kontaktuppgifter är sparade."))
            return redirect("accounts:contact")
    return render(request, "accounts/contact.html", {"form": form})


@require_http_methods(["GET", "POST"])
def email_change(request):
    """Change the login e-mail: the current password, then a link to the new address."""
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            email = services.user_email_change_request(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Vi har skickat en länk till %(email)s. Din e-postadress ändras när du öppnar länken.")
                % {"email": email},
            )
            return redirect("accounts:contact")
    return render(request, "accounts/email_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
def email_confirm(request, token):
    """The link from the e-mail. Logged in (as the account it was made for); the GET only
    shows what will happen, the button (a POST) changes the address."""
    try:
        new_email = services.user_email_change_token(user=request.user, token=token)
    except ValidationError:
        return render(request, "accounts/email_confirm_invalid.html", status=400)
    if request.method == "POST":
        try:
            services.user_email_change_confirm(user=request.user, token=token)
        except ValidationError as exc:
            return render(
                request, "accounts/email_confirm_invalid.html", {"message": " ".join(exc.messages)}, status=400
            )
        messages.success(
            request, _("Din e-postadress är ändrad. Logga in med %(email)s från och med nu.") % {"email": new_email}
        )
        return redirect("accounts:contact")
    return render(request, "accounts/email_confirm.html", {"new_email": new_email})


@login_not_required
@require_http_methods(["GET"])
def eid_start(request):
    """Where the e-ID lock links lead. The e-ID broker (BankID/Freja over OIDC) is configured
    in a later step; until then this page says so honestly and offers a way back."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    return render(request, "accounts/eid_start.html", {"next_url": next_url})
