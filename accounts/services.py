from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts import assurance
from accounts.models import User
from accounts.tokens import activation_token


def session_assurance_record(*, request, method: str) -> None:
    """Record how this session logged in. Only an e-ID login may give HIGH."""
    level = assurance.HIGH if method == "eid" else assurance.LOW
    request.session[assurance.SESSION_KEY] = level
    request.session[assurance.METHOD_KEY] = method


def user_activation_link(*, user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = activation_token.make_token(user)
    path = reverse("accounts:activate", kwargs={"uidb64": uid, "token": token})
    return settings.SKOLHUBB_SITE_URL.rstrip("/") + path


def user_needs_activation(*, user: User) -> bool:
    return user.is_active and not user.has_usable_password()


def user_activation_request(*, user: User) -> bool:
    """Store the activation e-mail in the outbox, in the caller's transaction (delivered after
    commit, retried while the broker or the mail server is down). Returns False for a user who
    has a password."""
    from notifications.services import outbox_email_enqueue

    if not user_needs_activation(user=user):
        return False
    context = {
        "user": user,
        "link": user_activation_link(user=user),
        "days": settings.SKOLHUBB_ACTIVATION_TIMEOUT // 86400,
    }
    with transaction.atomic():
        outbox_email_enqueue(template="accounts/emails/activation", context=context, to=[user.email])
    return True


def user_activate(*, user: User, token: str, password1: str, password2: str) -> User:
    """Set the first password from an activation link. The link works once."""
    if not activation_token.check_token(user, token):
        raise ValidationError(_("Länken har gått ut eller har redan använts."), code="invalid_link")
    if password1 != password2:
        raise ValidationError({"password2": _("Lösenorden är inte lika.")})
    try:
        password_validation.validate_password(password1, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    user.set_password(password1)
    user.save(update_fields=["password"])
    return user


def user_contact_update(
    *,
    user: User,
    email: str,
    phone_mobile: str,
    phone_home: str,
    phone_work: str,
    share_email: bool,
    share_phone: bool,
) -> User:
    email = User.objects.normalize_email(email).lower()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({"email": _("E-postadressen används redan av ett annat konto.")})
    for field, value in (("phone_mobile", phone_mobile), ("phone_home", phone_home), ("phone_work", phone_work)):
        cleaned = value.replace(" ", "").replace("-", "")
        if cleaned and not (cleaned.lstrip("+").isdigit() and 6 <= len(cleaned) <= 16):
            raise ValidationError({field: _("Ange ett telefonnummer med siffror, t.ex. 070-123 45 67.")})
    user.email = email
    user.phone_mobile = phone_mobile.strip()
    user.phone_home = phone_home.strip()
    user.phone_work = phone_work.strip()
    user.share_email = share_email
    user.share_phone = share_phone
    user.save(update_fields=["email", "phone_mobile", "phone_home", "phone_work", "share_email", "share_phone"])
    return user


def audit_record(
    *,
    request=None,
    actor: User | None = None,
    action: str,
    obj,
    child_id: int | None = None,
    details: dict | None = None,
):
    """Log a read of, or a change to, a sensitive record: who, what, when, which assurance."""
    from accounts.models import AuditEvent

    if request is not None:
        actor = request.user if request.user.is_authenticated else None
        level = assurance.session_assurance(request) or ""
    else:
        level = ""
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.email if actor else "",
        assurance=level,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_label=str(obj)[:200],
        child_id=child_id,
        details=details or {},
    )
