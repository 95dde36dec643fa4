from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts import assurance
from accounts.models import AuditEvent, User
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


EMAIL_CHANGE_SALT = "skolhubb.accounts.email-change"


def _email_change_fingerprint(user: User) -> str:
    """Changes when the login e-mail or the password changes: a confirmation link made before
    either stops working."""
    return salted_hmac(EMAIL_CHANGE_SALT, f"{user.pk}:{user.email}:{user.password}", algorithm="sha256").hexdigest()[
        :32
    ]


def _email_check(*, user: User, email: str, field: str) -> str:
    from accounts.forms import EMAIL_MAX_LENGTH

    email = User.objects.normalize_email((email or "").strip()).lower()
    if not email or len(email) > EMAIL_MAX_LENGTH:
        raise ValidationError({field: _("Ange en e-postadress med högst %(max)d tecken.") % {"max": EMAIL_MAX_LENGTH}})
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({field: _("Ange en giltig e-postadress.")}) from exc
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ValidationError({field: _("E-postadressen används redan av ett annat konto.")})
    return email


def user_email_change_request(*, user: User, new_email: str, password: str) -> str:
    """Changing the login e-mail: the current password first, then a link to the new address
    (stored in the outbox); nothing changes until the link is used. Returns the new address."""
    from notifications.services import outbox_email_enqueue

    # hashers.check_password without a setter: checking must not re-hash the password (a hasher
    # upgrade would change the session's auth hash and log this very session out).
    if not password or not check_password(password, user.password):
        raise ValidationError({"password": _("Lösenordet stämmer inte.")})
    email = _email_check(user=user, email=new_email, field="new_email")
    if email == user.email:
        raise ValidationError({"new_email": _("Det är redan din e-postadress.")})
    token = signing.dumps({"u": user.pk, "e": email, "f": _email_change_fingerprint(user)}, salt=EMAIL_CHANGE_SALT)
    link = settings.SKOLHUBB_SITE_URL.rstrip("/") + reverse("accounts:email-confirm", kwargs={"token": token})
    hours = settings.SKOLHUBB_EMAIL_CHANGE_TIMEOUT // 3600
    with transaction.atomic():
        outbox_email_enqueue(
            template="accounts/emails/email_change_confirm",
            context={"user": user, "new_email": email, "link": link, "hours": hours},
            to=[email],
        )
        audit_record(actor=user, action=AuditEvent.Action.CHANGE, obj=user, details={"email_change_requested": email})
    return email


def user_email_change_token(*, user: User, token: str) -> str:
    """The new address a confirmation link carries, if the link is valid for this user now."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.SKOLHUBB_EMAIL_CHANGE_TIMEOUT)
    except signing.BadSignature as exc:
        raise ValidationError(_("Länken har gått ut eller har redan använts."), code="invalid_link") from exc
    if data.get("u") != user.pk or data.get("f") != _email_change_fingerprint(user):
        raise ValidationError(_("Länken har gått ut eller har redan använts."), code="invalid_link")
    return data["e"]


def user_email_change_confirm(*, user: User, token: str) -> User:
    """Use the link: the login e-mail becomes the new address, and the old address is told."""
    from allauth.account.models import EmailAddress

    from notifications.services import outbox_email_enqueue

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        email = user_email_change_token(user=user, token=token)
        email = _email_check(user=user, email=email, field="new_email")
        old = user.email
        user.email = email
        user.save(update_fields=["email"])
        # allauth also finds users by its own address table: the old address must not log in.
        EmailAddress.objects.filter(user=user).exclude(email__iexact=email).delete()
        outbox_email_enqueue(
            template="accounts/emails/email_changed_notice",
            context={"user": user, "old_email": old, "new_email": email},
            to=[old],
        )
        audit_record(actor=user, action=AuditEvent.Action.CHANGE, obj=user, details={"email": [old, email]})
    return user


def user_contact_update(
    *,
    user: User,
    phone_mobile: str,
    phone_home: str,
    phone_work: str,
    share_email: bool,
    share_phone: bool,
) -> User:
    """Phones and visibility. The login e-mail changes through user_email_change_request."""
    for field, value in (("phone_mobile", phone_mobile), ("phone_home", phone_home), ("phone_work", phone_work)):
        cleaned = value.replace(" ", "").replace("-", "")
        if cleaned and not (cleaned.lstrip("+").isdigit() and 6 <= len(cleaned) <= 16):
            raise ValidationError({field: _("Ange ett telefonnummer med siffror, t.ex. 070-123 45 67.")})
    user.phone_mobile = phone_mobile.strip()
    user.phone_home = phone_home.strip()
    user.phone_work = phone_work.strip()
    user.share_email = share_email
    user.share_phone = share_phone
    user.save(update_fields=["phone_mobile", "phone_home", "phone_work", "share_email", "share_phone"])
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
