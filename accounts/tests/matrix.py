"""Access matrix rows of accounts (and allauth's login pages, which accounts owns)."""

import base64

from django.urls import reverse

from tests.matrix import LOGIN, everyone, logged_in, row

MATRIX = {
    "account_login": ("account_login", row(200, 302, 302, 302, 302, 302, 302, 302)),
    "account_logout": ("account_logout", row(302, 200, 200, 200, 200, 200, 200, 200)),
    "account_signup": ("account_signup", row(200, 302, 302, 302, 302, 302, 302, 302)),
    "account_inactive": ("account_inactive", everyone(200)),
    "account_reauthenticate": ("account_reauthenticate", logged_in(200)),
    "account_email": ("account_email", logged_in(302)),
    "account_email_verification_sent": ("account_email_verification_sent", everyone(200)),
    "account_confirm_email": ("confirm_email_key", everyone(200)),
    "account_confirm_login_code": ("account_confirm_login_code", row(302, 302, 302, 302, 302, 302, 302, 302)),
    "account_change_password": ("account_change_password", logged_in(200)),
    "account_set_password": ("account_set_password", logged_in(302)),
    "account_reset_password": ("account_reset_password", everyone(200)),
    "account_reset_password_done": ("account_reset_password_done", everyone(200)),
    "account_reset_password_from_key": ("reset_key", everyone(200)),
    "account_reset_password_from_key_done": ("account_reset_password_from_key_done", everyone(200)),
    "accounts:activate": ("activation_bad_token", everyone(400)),
    "accounts:contact": ("accounts:contact", logged_in(200)),
    "accounts:eid-start": ("accounts:eid-start", everyone(302)),  # off to the e-ID provider
    "accounts:eid-callback": ("accounts:eid-callback", everyone(400)),  # no state: refused
    "accounts:security": ("accounts:security", row(LOGIN, 302, 302, 302, 302, 302, 302, 302)),  # needs e-ID
    "accounts:devices": ("accounts:devices", logged_in(200)),
    "accounts:pairing-code": ("accounts:pairing-code", logged_in(405)),
    "accounts:device-remove": ("anna_device_remove", logged_in(405)),
    # the development e-ID provider (never mounted in production)
    "dev-eid:discovery": ("dev-eid:discovery", everyone(200)),
    "dev-eid:jwks": ("dev-eid:jwks", everyone(200)),
    "dev-eid:authorize": ("dev-eid:authorize", everyone(400)),
    "dev-eid:token": ("dev-eid:token", everyone(405)),
    "dev-eid:logout": ("dev-eid:logout", everyone(200)),
    # The register extract needs e-ID: a password session is sent to the e-ID login.
    "accounts:register-extract": ("accounts:register-extract", row(LOGIN, 302, 302, 302, 302, 302, 302, 302)),
    "accounts:register-extract-json": ("accounts:register-extract-json", row(LOGIN, 302, 302, 302, 302, 302, 302, 302)),
}


def url_builders(demo) -> dict[str, str]:
    from accounts.models import Device, User

    uid = base64.urlsafe_b64encode(str(demo["alva"].pk).encode()).decode().rstrip("=")
    anna = User.objects.get(email="anna.andersson@example.se")
    device = Device.objects.create(user=anna, name="Annas telefon", token_hash="x" * 64)
    return {
        "anna_device_remove": reverse("accounts:device-remove", args=[device.pk]),
        "confirm_email_key": reverse("account_confirm_email", kwargs={"key": "not-a-key"}),
        "reset_key": reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "set-password"}),
        "activation_bad_token": reverse("accounts:activate", kwargs={"uidb64": uid, "token": "abc-123"}),
    }
