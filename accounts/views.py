import logging
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.http import url_has_allowed_host_and_scheme, urlsafe_base64_decode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts import assurance, eid, selectors, services
from accounts.access import get_device_for_user
from accounts.forms import ActivationForm, ContactForm
from accounts.models import User
from accounts.tokens import activation_token
from config.forms import form_add_service_errors

logger = logging.getLogger(__name__)
EID_NEXT_KEY = "skolhubb_eid_next"


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


@login_not_required
@require_http_methods(["GET"])
def eid_start(request):
    """Where the login page and every e-ID lock lead: off to the broker (or the dev provider),
    coming back to `next`."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if not eid.configured():
        return render(request, "accounts/eid_start.html", {"next_url": next_url})
    request.session[EID_NEXT_KEY] = next_url
    try:
        return eid.authorize_redirect(
            request, redirect_uri=request.build_absolute_uri(reverse("accounts:eid-callback"))
        )
    except eid.EidError as exc:
        logger.warning("e-ID start failed: %s", exc.reason)
        return _eid_error(request, exc.reason)


def _eid_error(request, reason: str):
    unavailable = reason in {"provider_unreachable", "issuer_mismatch"}
    cancelled = reason == "oauth:access_denied"
    context = {"unavailable": unavailable, "cancelled": cancelled}
    return render(request, "accounts/eid_error.html", context, status=503 if unavailable else 400)


@login_not_required
@require_http_methods(["GET"])
def eid_callback(request):
    """The broker sends the browser back here. A forged or replayed callback, a wrong nonce,
    an expired or tampered token or a provider error logs in nobody."""
    try:
        claims, id_token = eid.callback_claims(request)
    except eid.EidError as exc:
        logger.info("e-ID callback refused: %s", exc.reason)
        return _eid_error(request, exc.reason)
    next_url = request.session.pop(EID_NEXT_KEY, "") or ""
    outcome, user = services.eid_login_complete(request=request, claims=claims, id_token=id_token)
    if outcome == services.EidOutcome.UNKNOWN_PERSON:
        return render(request, "accounts/eid_unknown.html", status=403)
    if outcome == services.EidOutcome.OTHER_PERSON:
        return render(request, "accounts/eid_other_person.html", status=403)
    if outcome != services.EidOutcome.LOGGED_IN:
        return _eid_error(request, outcome)
    if not assurance.has_assurance(request, assurance.HIGH):
        messages.warning(
            request,
            _("Din e-legitimation gav inte tillräckligt hög tillitsnivå för uppgifter som kräver e-legitimation."),
        )
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect(settings.LOGIN_REDIRECT_URL)


@assurance.require_assurance(assurance.HIGH)
@require_http_methods(["GET"])
def security(request):
    """Your personnummer on record and your e-ID logins: needs e-ID."""
    user = request.user
    return render(
        request,
        "accounts/security.html",
        {"personnummer": user.personnummer or "", "logins": selectors.eid_logins_for_user(user=user)},
    )


# --- Paired apps ---------------------------------------------------------------------------


@require_http_methods(["GET"])
def devices(request):
    return render(request, "accounts/devices.html", {"devices": selectors.devices_for_user(user=request.user)})


@require_http_methods(["POST"])
def pairing_code(request):
    import segno

    code, expires_at = services.pairing_code_create(user=request.user)
    payload = f"skolhubb:pair?{urlencode({'server': settings.SKOLHUBB_SITE_URL, 'code': code})}"
    qr_svg = segno.make(payload, error="m").svg_inline(scale=5, border=2, title=_("QR-kod för att koppla en app"))
    response = render(
        request,
        "accounts/pairing_code.html",
        {"code": code, "expires_at": expires_at, "qr_svg": mark_safe(qr_svg), "payload": payload},  # noqa: S308 - SVG made by segno from our own text
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["POST"])
def device_remove(request, device_id):
    device = get_device_for_user(request.user, device_id)
    services.device_remove(request=request, device=device)
    messages.success(request, _("Appen är bortkopplad. Den kan inte längre hämta uppgifter."))
    return redirect("accounts:devices")
