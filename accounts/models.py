from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from roster.validators import validate_plain_name


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    updated_at = models.DateTimeField(_("ändrad"), auto_now=True)

    class Meta:
        abstract = True


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("E-postadress krävs")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A person who logs in: guardian, student, staff or administrator. E-mail is the login."""

    username = None
    # AbstractUser's name fields, with the plain-name rule (no markup, no control characters).
    first_name = models.CharField(_("förnamn"), max_length=150, blank=True, validators=[validate_plain_name])
    last_name = models.CharField(_("efternamn"), max_length=150, blank=True, validators=[validate_plain_name])
    email = models.EmailField(_("e-postadress"), unique=True)
    phone_mobile = models.CharField(_("mobiltelefon"), max_length=30, blank=True)
    phone_home = models.CharField(_("hemtelefon"), max_length=30, blank=True)
    phone_work = models.CharField(_("arbetstelefon"), max_length=30, blank=True)
    # What other guardians in the child's class may see in the contact list.
    share_email = models.BooleanField(_("visa e-post för andra vårdnadshavare"), default=False)
    share_phone = models.BooleanField(_("visa telefon för andra vårdnadshavare"), default=False)
    share_name = models.BooleanField(_("visa namn för andra vårdnadshavare"), default=False)
    # What an e-ID login matches (12 digits, YYYYMMDDNNNN); nobody is created by an e-ID login.
    personnummer = models.CharField(_("personnummer"), max_length=12, unique=True, null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email


class AuditEvent(models.Model):
    """Who read or changed a sensitive record, when, and with which assurance. Append-only."""

    class Action(models.TextChoices):
        READ = "read", _("läst")
        CREATE = "create", _("skapat")
        CHANGE = "change", _("ändrat")
        DELETE = "delete", _("tagit bort")

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        "accounts.User", verbose_name=_("vem"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("vem (text)"), max_length=254, blank=True)
    assurance = models.CharField(_("tillitsnivå"), max_length=10, blank=True)
    action = models.CharField(_("händelse"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("typ"), max_length=100)
    object_id = models.CharField(_("id"), max_length=64)
    object_label = models.CharField(_("vad"), max_length=200, blank=True)
    child_id = models.BigIntegerField(_("barn-id"), null=True, blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)

    class Meta:
        verbose_name = _("granskningslogg")
        verbose_name_plural = _("granskningslogg")
        ordering = ["-at", "-id"]
        indexes = [
            # "who has looked at or changed this child's records?" (register extract, audits)
            models.Index(fields=["child_id", "-at"], name="audit_child_at"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.get_action_display()} {self.object_label}"


class Device(models.Model):
    """A paired app (the guardian's phone). Its token is stored only as a SHA-256 hash and
    carries low assurance: it is a password-class credential."""

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("användare"), on_delete=models.CASCADE, related_name="devices"
    )
    name = models.CharField(_("namn"), max_length=80)
    token_hash = models.CharField(_("token (hash)"), max_length=64, unique=True)
    # A hash of the password hash when paired: a changed password revokes the token at once,
    # whichever way it was changed (site, reset, admin).
    password_fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("kopplad"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("senast använd"), null=True, blank=True)

    class Meta:
        verbose_name = _("kopplad app")
        verbose_name_plural = _("kopplade appar")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.user})"


class PairingCode(models.Model):
    """A one-time code, valid a few minutes, that an app exchanges for a device token."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kopplingskod")
        verbose_name_plural = _("kopplingskoder")

    def __str__(self):
        return f"{self.user} {self.expires_at:%Y-%m-%d %H:%M}"


class RetentionRule(TimeStampedModel):
    """How long one kind of record is kept after the child's last placement ended (gallring).
    Set by the municipality's administrator; arkivlagen and the municipality's
    dokumenthanteringsplan decide the numbers, not code. No months: kept."""

    kind = models.CharField(_("slag av uppgift"), max_length=64, unique=True)
    keep_months = models.PositiveIntegerField(
        _("gallras efter (månader)"),
        null=True,
        blank=True,
        help_text=_("Räknas från det att barnets sista placering upphörde. Tomt betyder att uppgifterna bevaras."),
    )
    note = models.CharField(_("beslut / anteckning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("gallringsregel")
        verbose_name_plural = _("gallringsregler")
        ordering = ["kind"]

    def __str__(self):
        return self.kind
