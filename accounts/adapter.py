from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts come from the municipality's records (admin, import), never self sign-up.
        return False

    def get_logout_redirect_url(self, request):
        # Called before the session is flushed: an e-ID session also ends at the provider
        # (RP-initiated logout) when the provider offers it.
        return _eid_logout_url(request) or super().get_logout_redirect_url(request)


def axes_username(request, credentials):
    """django-axes locks out by the login name: allauth authenticates with `email`, its
    form posts `login`."""
    if credentials and credentials.get("email"):
        return str(credentials["email"]).strip().lower()
    if request is not None and hasattr(request, "POST"):
        return (request.POST.get("login") or "").strip().lower()
    return ""


def _eid_logout_url(request) -> str | None:
    from accounts import assurance, eid

    id_token = request.session.get(assurance.ID_TOKEN_KEY) if hasattr(request, "session") else None
    if not id_token or not eid.configured():
        return None
    from django.urls import reverse

    return eid.logout_url(
        request, id_token=id_token, post_logout_redirect_uri=request.build_absolute_uri(reverse("account_login"))
    )
