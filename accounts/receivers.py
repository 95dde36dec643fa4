from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.services import session_assurance_record


@receiver(user_logged_in, dispatch_uid="accounts.record_assurance")
def record_assurance(sender, request, user, **kwargs):
    # e-ID marks the request and records its own level right after; everything else
    # (password, password reset) is low.
    if request is not None and hasattr(request, "session"):
        method = getattr(request, "skolhubb_login_method", "password")
        session_assurance_record(request=request, method=method, high=False)


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
