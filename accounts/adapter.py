from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Accounts come from the municipality's records (admin, import), never self sign-up.
        return False


def axes_username(request, credentials):
    """django-axes locks out by the login name: allauth authenticates with `email`, its
    form posts `login`."""
    if credentials and credentials.get("email"):
        return str(credentials["email"]).strip().lower()
    if request is not None and hasattr(request, "POST"):
        return (request.POST.get("login") or "").strip().lower()
    return ""
