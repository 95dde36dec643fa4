from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    email = models.EmailField(_("e-postadress"), unique=True)
    phone_mobile = models.CharField(_("mobiltelefon"), max_length=30, blank=True)
    phone_home = models.CharField(_("hemtelefon"), max_length=30, blank=True)
    phone_work = models.CharField(_("arbetstelefon"), max_length=30, blank=True)
    # What other guardians in the child's class may see in the contact list.
    share_email = models.BooleanField(_("visa e-post för andra vårdnadshavare"), default=False)
    share_phone = models.BooleanField(_("visa telefon för andra vårdnadshavare"), default=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")
        ordering = ["last_name", "first_name"]

    def __str__(self):
        return self.get_full_name() or self.email
