from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.services import session_assurance_record
from config import generations


@receiver(user_logged_in, dispatch_uid="accounts.record_assurance")
def record_assurance(sender, request, user, **kwargs):
    # e-ID marks the request and records its own level right after; everything else
    # (password, password reset) is low.
    if request is not None and hasattr(request, "session"):
        method = getattr(request, "skolhubb_login_method", "password")
        session_assurance_record(request=request, method=method, high=False)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.user-saved")
@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts.user-deleted")
def _user_changed(sender, instance, using, **kwargs):
    # The cached row of the logged-in person (accounts/backends.py) is stamped with this
    # generation: a password change, deactivation, deletion or new name (save(): Django's
    # update_last_login, set_password, the admin, allauth, our services) is seen on the next
    # request. It also voids the person's cached viewer and pages, except for a login: Django's
    # update_last_login saves last_login alone, which only the row holds. Nothing updates users
    # with QuerySet.update() or raw SQL (checked in our code, allauth and axes); code that ever
    # does must bump user_key itself.
    if kwargs.get("update_fields") == frozenset({"last_login"}):
        generations.bump_keys([generations.user_login_key(instance.pk)], using=using)
    else:
        generations.bump_keys([generations.user_key(instance.pk)], using=using)


def _revoke_devices(sender, request, user, **kwargs):
    # A new password ends every paired app at once (the fingerprint check in
    # device_authenticate covers passwords changed elsewhere, e.g. in the admin).
    from accounts.services import devices_revoke_all

    devices_revoke_all(user=user)


def connect_password_signals():
    from allauth.account.signals import password_changed, password_reset, password_set

    for signal in (password_changed, password_set, password_reset):
        signal.connect(_revoke_devices, dispatch_uid=f"accounts.revoke_devices.{id(signal)}")


connect_password_signals()
