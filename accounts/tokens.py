from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    """Single-use and expiring: the token hashes the password and last login, so it stops
    working as soon as a password is set, and it expires after SKOLHUBB_ACTIVATION_DAYS
    (Django's own check reads PASSWORD_RESET_TIMEOUT, so the check is written out here)."""

    key_salt = "skolhubb.accounts.activation"

    def check_token(self, user, token):
        if not (user and token):
            return False
        try:
            ts = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return (self._num_seconds(self._now()) - ts) <= settings.SKOLHUBB_ACTIVATION_TIMEOUT


activation_token = ActivationTokenGenerator()
