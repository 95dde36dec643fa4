import time

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


def session_assurance_record(*, request, method: str, high: bool | None = None) -> None:
    """Record how this session logged in. Only an e-ID login may give HIGH, and only when
    the provider said the level was high enough (`high`)."""
    level = assurance.HIGH if method == "eid" and high is not False else assurance.LOW
    request.session[assurance.SESSION_KEY] = level
    request.session[assurance.METHOD_KEY] = method
    if level == assurance.HIGH:
        request.session[assurance.SEEN_KEY] = int(time.time())


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
    share_name: bool | None = None,
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
    fields = ["phone_mobile", "phone_home", "phone_work", "share_email", "share_phone"]
    if share_name is not None:  # the contact list's name choice (None: unchanged)
        user.share_name = share_name
        fields.append("share_name")
    user.save(update_fields=fields)
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


# --- e-ID --------------------------------------------------------------------------------


class EidOutcome:
    LOGGED_IN = "logged_in"
    UNKNOWN_PERSON = "unknown_person"
    OTHER_PERSON = "other_person"
    BAD_CLAIM = "bad_claim"


def _eid_audit(*, actor: User | None, outcome: str, details: dict) -> None:
    from accounts.models import AuditEvent

    AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.email if actor else "",
        assurance="",
        action=AuditEvent.Action.READ,
        object_type="accounts.eid_login",
        object_id=outcome,
        object_label=_("Inloggning med e-legitimation"),
        details=details,
    )


def eid_login_complete(*, request, claims: dict, id_token: str) -> tuple[str, User | None]:
    """Log in the person the provider vouched for, or nobody.

    The personnummer claim (a setting) is normalised to 12 digits and must belong to an
    active user on record; nobody is created. A session already logged in (step-up) must
    get the same person back, or it ends. HIGH only when `acr` is the configured LoA.
    """
    from django.contrib.auth import login, logout

    from roster import personnummer

    raw = claims.get(settings.SKOLHUBB_OIDC_PERSONNUMMER_CLAIM) or ""
    try:
        number = personnummer.parse(str(raw)).normalized
    except ValidationError:
        _eid_audit(
            actor=None, outcome=EidOutcome.BAD_CLAIM, details={"claim": settings.SKOLHUBB_OIDC_PERSONNUMMER_CLAIM}
        )
        return EidOutcome.BAD_CLAIM, None
    user = User.objects.filter(personnummer=number, is_active=True).first()
    current = request.user if request.user.is_authenticated else None
    if user is None:
        # Nothing is kept about the stranger but this: the birth date part, for support.
        _eid_audit(
            actor=current, outcome=EidOutcome.UNKNOWN_PERSON, details={"personnummer": personnummer.mask(number)}
        )
        if current is not None:
            logout(request)
        return EidOutcome.UNKNOWN_PERSON, None
    if current is not None and current.pk != user.pk:
        _eid_audit(actor=current, outcome=EidOutcome.OTHER_PERSON, details={"personnummer": personnummer.mask(number)})
        logout(request)
        return EidOutcome.OTHER_PERSON, None
    high = claims.get("acr") == settings.SKOLHUBB_OIDC_LOA_HIGH
    if current is None:
        request.skolhubb_login_method = "eid"  # read by the user_logged_in receiver
        login(request, user, backend="accounts.backends.AuthenticationBackend")
    else:
        request.session.cycle_key()  # a new level of trust gets a new session key
    session_assurance_record(request=request, method="eid", high=high)
    request.session[assurance.ID_TOKEN_KEY] = id_token
    _eid_audit(actor=user, outcome=EidOutcome.LOGGED_IN, details={"acr": str(claims.get("acr", "")), "high": high})
    return EidOutcome.LOGGED_IN, user


# --- Paired apps (devices) -----------------------------------------------------------------

PAIRING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud or typed
TOKEN_PREFIX = "skh_"  # noqa: S105 - a prefix, not a secret


def _sha256(value: str) -> str:
    import hashlib

    return hashlib.sha256(value.encode()).hexdigest()


def password_fingerprint(user: User) -> str:
    import hashlib
    import hmac

    return hmac.new(settings.SECRET_KEY.encode(), (user.password or "").encode(), hashlib.sha256).hexdigest()


def normalize_pairing_code(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def pairing_code_create(*, user: User) -> tuple[str, object]:
    """A new one-time code (shown once, stored hashed), valid SKOLHUBB_PAIRING_MINUTES.
    Earlier unused codes of the person stop working."""
    import secrets
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import PairingCode

    raw = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(8))
    expires_at = timezone.now() + timedelta(minutes=settings.SKOLHUBB_PAIRING_MINUTES)
    PairingCode.objects.filter(user=user, used_at__isnull=True).delete()
    PairingCode.objects.create(user=user, code_hash=_sha256(raw), expires_at=expires_at)
    return f"{raw[:4]}-{raw[4:]}", expires_at


def device_pair(*, code: str, name: str):
    """Exchange a pairing code for a device token. Returns (device, token); the token is
    shown this once and kept only as a hash."""
    import secrets

    from django.db import transaction
    from django.utils import timezone

    from accounts.models import AuditEvent, Device, PairingCode

    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Ge appen ett namn, t.ex. ”Annas telefon”.")})
    if len(name) > 80:
        raise ValidationError({"name": _("Namnet får vara högst 80 tecken.")})
    normalized = normalize_pairing_code(code)
    with transaction.atomic():
        pairing = (
            PairingCode.objects.select_for_update()
            .select_related("user")
            .filter(code_hash=_sha256(normalized), used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        if pairing is None or not pairing.user.is_active:
            raise ValidationError(
                {"code": _("Koden är fel, redan använd eller har gått ut. Skapa en ny kod på webben.")}
            )
        pairing.used_at = timezone.now()
        pairing.save(update_fields=["used_at"])
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        device = Device.objects.create(
            user=pairing.user,
            name=name,
            token_hash=_sha256(token),
            password_fingerprint=password_fingerprint(pairing.user),
        )
        AuditEvent.objects.create(
            actor=pairing.user,
            actor_label=pairing.user.email,
            assurance=assurance.LOW,
            action=AuditEvent.Action.CREATE,
            object_type="accounts.device",
            object_id=str(device.pk),
            object_label=str(device)[:200],
        )
    return device, token


def device_authenticate(*, token: str) -> tuple[User, object] | None:
    """The person and device behind a bearer token, or None (unknown, removed, or the
    password changed since pairing). Marks the device used at most once a minute."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Device

    if not token or not token.startswith(TOKEN_PREFIX):
        return None
    device = Device.objects.select_related("user").filter(token_hash=_sha256(token)).first()
    if device is None or not device.user.is_active:
        return None
    if device.password_fingerprint != password_fingerprint(device.user):
        device.delete()  # the password changed some other way: revoke now
        return None
    now = timezone.now()
    if device.last_used_at is None or now - device.last_used_at > timedelta(minutes=1):
        Device.objects.filter(pk=device.pk).update(last_used_at=now)
        device.last_used_at = now
    return device.user, device


def device_remove(*, request=None, device) -> None:
    audit_record(request=request, actor=device.user, action="delete", obj=device)
    device.delete()


def devices_revoke_all(*, user: User) -> int:
    from accounts.models import Device

    count, _deleted = Device.objects.filter(user=user).delete()
    return count
