from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.services import session_assurance_record


@receiver(user_logged_in, dispatch_uid="accounts.record_assurance")
def record_assurance(sender, request, user, **kwargs):
    # The password backends are the only login path so far; e-ID sets HIGH itself.
    if request is not None and hasattr(request, "session"):
        session_assurance_record(request=request, method="password")
